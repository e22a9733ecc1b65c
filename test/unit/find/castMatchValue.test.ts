import assert from 'node:assert/strict';
import { castMatchValue } from '../../../shared/find/castMatchValue';
import { ColumnType } from '../../../shared/model/columnType';

const int64: ColumnType = { kind: 'int', bits: 64, signed: true };

describe('castMatchValue', () => {
  it('casts "17" to an integer and a string column, an email only to a string', () => {
    assert.equal(castMatchValue('17', int64), '17');
    assert.equal(castMatchValue('17', { kind: 'string' }), '17');
    assert.equal(castMatchValue('ann@x.org', int64), undefined);
    assert.equal(castMatchValue('ann@x.org', { kind: 'string' }), 'ann@x.org');
  });

  it('refuses integers outside the column width and sign', () => {
    assert.equal(castMatchValue('127', { kind: 'int', bits: 8, signed: true }), '127');
    assert.equal(castMatchValue('128', { kind: 'int', bits: 8, signed: true }), undefined);
    assert.equal(castMatchValue('-1', { kind: 'int', bits: 32, signed: false }), undefined);
    assert.equal(castMatchValue('9223372036854775808', int64), undefined);
    assert.equal(castMatchValue('1.0', int64), undefined);
  });

  it('keeps decimals exact: a value the scale would round is no match', () => {
    const money: ColumnType = { kind: 'decimal', precision: 10, scale: 2 };
    assert.equal(castMatchValue('12.50', money), '12.5');
    assert.equal(castMatchValue('012.5', money), '12.5');
    assert.equal(castMatchValue('12.505', money), undefined);
    assert.equal(castMatchValue('123456789', money), undefined, 'nine whole digits do not fit decimal(10,2)');
    assert.equal(castMatchValue('-0.01', money), '-0.01');
  });

  it('accepts real dates and timestamps only, and no zone on a column without one', () => {
    assert.equal(castMatchValue('2024-02-29', { kind: 'date' }), '2024-02-29');
    assert.equal(castMatchValue('2023-02-29', { kind: 'date' }), undefined);
    assert.equal(castMatchValue('2024-01-02T03:04:05.123', { kind: 'timestamp', unit: 'us', withTimeZone: false }), '2024-01-02 03:04:05.123');
    assert.equal(castMatchValue('2024-01-02T03:04:05Z', { kind: 'timestamp', unit: 'us', withTimeZone: false }), undefined);
    assert.equal(castMatchValue('2024-01-02T03:04:05Z', { kind: 'timestamp', unit: 'us', withTimeZone: true }), '2024-01-02 03:04:05+00:00');
  });

  it('casts floats and booleans, and nothing to a struct or list', () => {
    assert.equal(castMatchValue('1.5e3', { kind: 'float', bits: 64 }), '1500');
    assert.equal(castMatchValue('NaN', { kind: 'float', bits: 64 }), undefined);
    assert.equal(castMatchValue('TRUE', { kind: 'boolean' }), 'true');
    assert.equal(castMatchValue('x', { kind: 'struct', fields: [] }), undefined);
    assert.equal(castMatchValue('x', { kind: 'other', name: 'VARCHAR[]' }), undefined);
  });
});

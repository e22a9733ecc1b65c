import assert from 'node:assert/strict';
import { parseLetheConfig } from '../../../shared/model/config';
import { parseMatch } from '../../../shared/model/match';

const mapper = { id: 'customers', location: './lake/c', format: 'parquet', columns: ['id'] };

describe('parseLetheConfig', () => {
  it('fills defaults and resolves relative folders', () => {
    const config = parseLetheConfig({ dataMappers: [mapper] }, 'lethe.yaml', (p) => `/base/${p.replace('./', '')}`);
    assert.deepEqual(config.dataMappers[0]!.location, { kind: 'prefix', uri: '/base/lake/c' });
    assert.equal(config.dataMappers[0]!.deleteOldVersions, true);
    assert.deepEqual(config.dataMappers[0]!.partitionKeys, []);
    assert.equal(config.settings.verify, true);
  });

  it('names each problem: unknown key, bad id, missing location, bad format, bad setting', () => {
    assert.throws(() => parseLetheConfig({ dataMapers: [] }, 'lethe.yaml'), { name: 'InputError', message: /lethe.yaml: unknown key "dataMapers"/ });
    assert.throws(
      () => parseLetheConfig({ dataMappers: [{ ...mapper, id: 'bad id' }, { id: 'x', format: 'parquet', columns: ['a'] }, { ...mapper, id: 'y', format: 'avro' }] }, 'lethe.yaml'),
      (error: Error) => {
        assert.match(error.message, /3 mappers have problems/);
        assert.match(error.message, /dataMappers\[0\]\.id: "bad id" must match/);
        assert.match(error.message, /mapper "x"\)\.location: missing/);
        assert.match(error.message, /mapper "y"\)\.format: expected one of parquet, json, csv, got "avro"/);
        return true;
      },
    );
    assert.throws(() => parseLetheConfig({ settings: { queryConcurrency: 0 } }, 'lethe.yaml'), { message: /settings.queryConcurrency: expected a whole number from 1 to 100, got 0/ });
    assert.throws(() => parseLetheConfig({ dataMappers: [mapper, mapper] }, 'lethe.yaml'), { message: /mapper id "customers" is used twice/ });
  });
});

describe('parseMatch', () => {
  it('accepts strings, numbers and composites, and never repeats a bad value in its error', () => {
    assert.deepEqual(parseMatch(17, 'id'), { kind: 'simple', value: '17' });
    assert.deepEqual(parseMatch({ b: 'x', a: 1 }, 'id'), { kind: 'composite', columns: { a: '1', b: 'x' } });
    assert.throws(() => parseMatch('   ', 'match ID #2'), { name: 'InputError', message: 'match ID #2: a match ID must not be empty or blank' });
    assert.throws(() => parseMatch('secret\u0007value', 'line 3'), (e: Error) => !e.message.includes('secret'));
    assert.throws(() => parseMatch({}, 'line 4'), { message: /at least one column/ });
  });
});

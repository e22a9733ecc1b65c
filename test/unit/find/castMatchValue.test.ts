import assert from 'node:assert/strict';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import { castMatchValue } from '../../../shared/find/castMatchValue';
import { duckDbTypeName } from '../../../shared/duckdb/duckDbTypeName';
import { ColumnType, TimeUnit } from '../../../shared/model/columnType';

const int64: ColumnType = { kind: 'int', bits: 64, signed: true };
const float32: ColumnType = { kind: 'float', bits: 32 };
const float64: ColumnType = { kind: 'float', bits: 64 };
const timestamp = (unit: TimeUnit, withTimeZone = false): ColumnType => ({ kind: 'timestamp', unit, withTimeZone });

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
    assert.equal(castMatchValue('1e400', int64), undefined);
  });

  it('casts any integer to every integer width exactly when the width holds it, in plain digits', () => {
    const widths = [8, 16, 32, 64, 128].flatMap((bits) => [true, false].map((signed) => ({ kind: 'int' as const, bits: bits as 8 | 16 | 32 | 64 | 128, signed })));
    const near = (n: bigint) => fc.bigInt({ min: n - 3n, max: n + 3n });
    const integer = fc.oneof(fc.bigInt({ min: -(2n ** 130n), max: 2n ** 130n }), fc.bigInt({ min: -(10n ** 16n), max: 10n ** 16n }), fc.integer({ min: -300, max: 300 }).map(BigInt), ...[7, 8, 15, 16, 31, 32, 63, 64, 127, 128].flatMap((p) => [near(2n ** BigInt(p)), near(-(2n ** BigInt(p)))]));
    fc.assert(
      fc.property(integer, fc.constantFrom('', '.0', 'e0', ' '), (value, suffix) => {
        for (const type of widths) {
          const min = type.signed ? -(2n ** BigInt(type.bits - 1)) : 0n;
          const max = type.signed ? 2n ** BigInt(type.bits - 1) - 1n : 2n ** BigInt(type.bits) - 1n;
          assert.equal(castMatchValue(`${value}${suffix}`, type), value >= min && value <= max ? value.toString() : undefined, `${value}${suffix} as ${type.signed ? '' : 'u'}int${type.bits}`);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('matches integral forms of an integer (a spreadsheet writes 17.0), never a fraction', () => {
    for (const text of ['17.0', '17.', '+17', '1.7e1', '170e-1', '0.17E2', '17.000']) assert.equal(castMatchValue(text, int64), '17', text);
    assert.equal(castMatchValue('9223372036854775807.0', int64), '9223372036854775807');
    assert.equal(castMatchValue('-0.0', int64), '0');
    for (const text of ['17.5', '1.75e1', '17e-1', '.', 'e1', '1e', '17.0.0']) assert.equal(castMatchValue(text, int64), undefined, text);
  });

  it('keeps decimals exact: a value the scale would round is no match', () => {
    const money: ColumnType = { kind: 'decimal', precision: 10, scale: 2 };
    assert.equal(castMatchValue('12.50', money), '12.5');
    assert.equal(castMatchValue('012.5', money), '12.5');
    assert.equal(castMatchValue('1.25e1', money), '12.5');
    assert.equal(castMatchValue('12.505', money), undefined);
    assert.equal(castMatchValue('1e-3', money), undefined);
    assert.equal(castMatchValue('123456789', money), undefined, 'nine whole digits do not fit decimal(10,2)');
    assert.equal(castMatchValue('1e8', money), undefined, 'nine whole digits in exponent form either');
    assert.equal(castMatchValue('-0.01', money), '-0.01');
  });

  it('refuses a float or double value the type would round to another person\'s number', () => {
    assert.equal(castMatchValue('16777217', float32), undefined, 'FLOAT holds 16777216, not 16777217');
    assert.equal(castMatchValue('16777216', float32), '16777216');
    assert.equal(castMatchValue('0.5', float32), '0.5');
    assert.equal(castMatchValue('0.1', float32), undefined, 'no FLOAT is 0.1: it holds 0.100000001490116119384765625');
    assert.equal(castMatchValue('123456789', float32), undefined, 'FLOAT holds 123456792');
    assert.equal(castMatchValue('1e39', float32), undefined);
    assert.equal(castMatchValue('7.06e9', float32), undefined, 'FLOAT holds 7059999744');
    assert.equal(castMatchValue('7059999744', float32), '7059999744');
    assert.equal(castMatchValue('9007199254740993', float64), undefined, 'DOUBLE holds 9007199254740992, not ...993');
    assert.equal(castMatchValue('9007199254740992', float64), '9007199254740992');
    assert.equal(castMatchValue('0.30000000000000004', float64), undefined, 'the DOUBLE nearest holds 0.3000000000000000444089209850062616169452667236328125');
    assert.equal(castMatchValue('1e22', float64), '1e+22', '1e22 is a DOUBLE exactly');
    assert.equal(castMatchValue('1e23', float64), undefined, '1e23 is not');
    assert.equal(castMatchValue('1.5e3', float64), '1500');
    assert.equal(castMatchValue('NaN', float64), undefined);
    assert.equal(castMatchValue('Infinity', float64), undefined);
  });

  it('refuses a timestamp with more fractional digits than the column keeps, and dates that do not exist', () => {
    assert.equal(castMatchValue('2024-01-01 10:00:00.5', timestamp('s')), undefined, 'TIMESTAMP_S would make 10:00:00.5 into 10:00:01');
    assert.equal(castMatchValue('2024-01-01T10:00:00.000', timestamp('s')), '2024-01-01 10:00:00');
    assert.equal(castMatchValue('2024-01-01 10:00:00.1234', timestamp('ms')), undefined);
    assert.equal(castMatchValue('2024-01-01 10:00:00.123', timestamp('ms')), '2024-01-01 10:00:00.123');
    assert.equal(castMatchValue('2024-01-01 10:00:00.1234567', timestamp('us')), undefined);
    assert.equal(castMatchValue('2024-01-01 10:00:00.123456789', timestamp('ns')), '2024-01-01 10:00:00.123456789');
    assert.equal(castMatchValue('1600-01-01 00:00:00', timestamp('ns')), undefined, 'before the nanosecond range');
    assert.equal(castMatchValue('2262-04-12 00:00:00', timestamp('ns')), undefined, 'after the nanosecond range');
    assert.equal(castMatchValue('2024-01-02T03:04:05.123', timestamp('us')), '2024-01-02 03:04:05.123');
    assert.equal(castMatchValue('2024-01-02T03:04:05Z', timestamp('us')), undefined);
    assert.equal(castMatchValue('2024-01-02T03:04:05Z', timestamp('us', true)), '2024-01-02 03:04:05+00:00');
    assert.equal(castMatchValue('2024-02-29', { kind: 'date' }), '2024-02-29');
    assert.equal(castMatchValue('2023-02-29', { kind: 'date' }), undefined);
    assert.equal(castMatchValue('0000-01-01', { kind: 'date' }), undefined, 'DuckDB reads year 0 as 1 BC');
    assert.equal(castMatchValue('0050-03-01', { kind: 'date' }), '0050-03-01');
  });

  it('casts booleans, and nothing to a struct or list', () => {
    assert.equal(castMatchValue('TRUE', { kind: 'boolean' }), 'true');
    assert.equal(castMatchValue('x', { kind: 'struct', fields: [] }), undefined);
    assert.equal(castMatchValue('x', { kind: 'other', name: 'VARCHAR[]' }), undefined);
  });
});

/**
 * The property: whatever castMatchValue accepts, DuckDB casts to the column type and back to the
 * same value the requester gave. The value read back comes from DuckDB; the comparison reads both
 * texts with the small exact readers below, not with castMatchValue.
 */
describe('castMatchValue: accepted values round-trip exactly through the column type in DuckDB', function () {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  before(async () => {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
  });
  after(() => {
    connection.closeSync();
    instance.closeSync();
  });

  // A float is read back with all its digits (DuckDB's printf is exact), not as its shortest text.
  const roundTrip = async (text: string, type: ColumnType): Promise<string> => {
    const back = type.kind === 'float' ? `printf('%.1100f', CAST(CAST($1 AS ${duckDbTypeName(type)}) AS DOUBLE))` : `CAST(CAST($1 AS ${duckDbTypeName(type)}) AS VARCHAR)`;
    const result = await connection.runAndReadAll(`SELECT ${back}`, [text]);
    return String(result.getRows()[0]![0]);
  };

  const check = (type: fc.Arbitrary<ColumnType>, text: fc.Arbitrary<string>, same: (input: string, back: string) => boolean) =>
    fc.assert(
      fc.asyncProperty(type, text, async (t, input) => {
        const cast = castMatchValue(input, t);
        if (cast === undefined) return;
        const back = await roundTrip(cast, t);
        assert.ok(same(input, back), `${JSON.stringify(input)} as ${duckDbTypeName(t)}: castMatchValue gave ${JSON.stringify(cast)}, DuckDB read back ${JSON.stringify(back)}`);
      }),
      { numRuns: 600 },
    );

  const integers: fc.Arbitrary<ColumnType> = fc.record({ kind: fc.constant('int' as const), bits: fc.constantFrom(8 as const, 16 as const, 32 as const, 64 as const, 128 as const), signed: fc.boolean() });
  const decimals: fc.Arbitrary<ColumnType> = fc.integer({ min: 1, max: 38 }).chain((precision) => fc.record({ kind: fc.constant('decimal' as const), precision: fc.constant(precision), scale: fc.integer({ min: 0, max: precision }) }));
  const floats: fc.Arbitrary<ColumnType> = fc.constantFrom(float32, float64);

  it('integers, decimals, floats and doubles', async () => {
    const numbers = fc.oneof(
      fc.bigInt({ min: -(2n ** 129n), max: 2n ** 129n }).map(String),
      fc.bigInt({ min: 0n, max: 2n ** 64n }).map((n) => `${n}.0`),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
      fc.float({ noNaN: true, noDefaultInfinity: true }).map(String),
      fc.integer({ min: 2 ** 24 - 4, max: 2 ** 24 + 4 }).map(String),
      fc.bigInt({ min: 2n ** 53n - 4n, max: 2n ** 53n + 4n }).map(String),
      fc.integer({ min: -(2 ** 20), max: 2 ** 20 }).map((n) => String(n / 1024)),
      fc.stringMatching(/^[+-]?\d{1,30}(\.\d{0,30})?([eE][+-]?\d{1,2})?$/),
    );
    for (const type of [integers, decimals, floats]) await check(type, numbers, (input, back) => sameNumber(input, back));
  });

  it('timestamps of every unit, with and without a zone, and dates', async () => {
    const units = fc.constantFrom<TimeUnit>('s', 'ms', 'us', 'ns');
    const plain = units.map((unit) => timestamp(unit));
    const zoned = units.map((unit) => timestamp(unit, true));
    const times = fc.record({
      year: fc.oneof(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1670, max: 1680 }), fc.integer({ min: 2260, max: 2265 })),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 31 }),
      hour: fc.integer({ min: 0, max: 23 }),
      minute: fc.integer({ min: 0, max: 59 }),
      second: fc.integer({ min: 0, max: 59 }),
      fraction: fc.stringMatching(/^\d{0,9}$/),
    });
    const text = (t: { year: number; month: number; day: number; hour: number; minute: number; second: number; fraction: string }) =>
      `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)} ${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}${t.fraction ? `.${t.fraction}` : ''}`;
    await check(plain, times.map(text), (input, back) => sameLocalTime(input, back));
    const zones = fc.oneof(fc.constant('Z'), fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 14 }), fc.constantFrom(0, 30, 45)).map(([s, h, m]) => `${s}${pad(h)}:${pad(m)}`));
    await check(zoned, fc.tuple(times.filter((t) => t.year > 1000), zones).map(([t, zone]) => `${text(t)}${zone}`), (input, back) => sameInstant(input, back));
    const dates = fc.record({ year: fc.integer({ min: 0, max: 9999 }), month: fc.integer({ min: 0, max: 13 }), day: fc.integer({ min: 0, max: 32 }) }).map((d) => `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`);
    await check(fc.constant<ColumnType>({ kind: 'date' }), dates, (input, back) => input === back);
  });
});

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** A number's text as `sign digits e exponent` with no leading or trailing zeros: equal iff the values are. */
function exactNumberKey(text: string): string {
  const m = /^([+-]?)(\d*)\.?(\d*)(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  assert.ok(m, `not a number: ${text}`);
  const digits = `${m[2]}${m[3]}`;
  let exponent = Number(m[4] ?? 0) - m[3]!.length;
  const trimmed = digits.replace(/^0+/, '');
  if (trimmed === '') return '0';
  const significant = trimmed.replace(/0+$/, '');
  exponent += trimmed.length - significant.length;
  return `${m[1] === '-' ? '-' : ''}${significant}e${exponent}`;
}

function sameNumber(input: string, back: string): boolean {
  return exactNumberKey(input) === exactNumberKey(back);
}

/** `YYYY-MM-DD HH:MM:SS` and the fraction's digits without trailing zeros. */
function localTimeKey(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(text);
  assert.ok(m, `not a timestamp: ${text}`);
  return `${m[1]} ${m[2]}.${(m[3] ?? '').replace(/0+$/, '')}`;
}

function sameLocalTime(input: string, back: string): boolean {
  return localTimeKey(input) === localTimeKey(back);
}

/** Seconds since the epoch (from the zone given, or UTC) and the fraction's digits. */
function instantKey(text: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(text.replace(/Z$/, '+00'));
  assert.ok(m, `not a timestamp with a zone: ${text}`);
  const zone = /^([+-])(\d{2}):?(\d{2})?$/.exec(m[8] ?? '+00');
  assert.ok(zone, `not a zone: ${m[8]}`);
  const offsetMinutes = (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3] ?? 0));
  const seconds = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) / 1000 - offsetMinutes * 60;
  return `${seconds}.${(m[7] ?? '').replace(/0+$/, '')}`;
}

function sameInstant(input: string, back: string): boolean {
  return instantKey(input) === instantKey(back);
}

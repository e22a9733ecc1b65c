import assert from 'node:assert/strict';
import fc from 'fast-check';
import { planProjectedPartitionQueries } from '../../../shared/find/planProjectedPartitionQueries';
import { planCoverage } from '../../../shared/find/planCoverage';
import { resolvePartitionProjection } from '../../../shared/find/resolvePartitionProjection';
import { DataMapper } from '../../../shared/model/dataMapper';
import { parsePartitionProjection } from '../../../shared/model/partitionProjection';
import { TableDescription } from '../../../shared/ports/Catalog';

const WHERE = 'mapper "m": Glue table lake.events';
const mapper = (partitionKeys: string[]): DataMapper => ({
  id: 'm', location: { kind: 'glue', database: 'lake', table: 'events' }, columns: ['email'], partitionKeys, deleteOldVersions: true, ignoreObjectNotFound: false,
});

/** Parses Glue parameters and fixes them at asOf, as the find does. */
function project(parameters: Record<string, string>, keys: string[], asOf = new Date('2026-12-02T08:40:17Z'), location = 's3://lake/events/') {
  const projection = parsePartitionProjection({ 'projection.enabled': 'true', ...parameters }, keys, WHERE)!;
  const table: TableDescription = { location, format: 'parquet', columns: [], partitionKeys: keys, projection };
  return { table, projected: resolvePartitionProjection(projection, location, asOf, WHERE) };
}

/** yyyy-MM-dd of every day from a to b inclusive, counted with the calendar (Date.UTC normalises day overflow). */
function daysBetween(a: [number, number, number], b: [number, number, number]): string[] {
  const out: string[] = [];
  const end = Date.UTC(b[0], b[1] - 1, b[2]);
  for (let i = 0; ; i++) {
    const at = Date.UTC(a[0], a[1] - 1, a[2] + i);
    if (at > end) return out;
    out.push(new Date(at).toISOString().slice(0, 10));
  }
}

describe('planProjectedPartitionQueries', () => {
  it('plans one query per enum value, filtering on it', () => {
    const { table, projected } = project({ 'projection.region.type': 'enum', 'projection.region.values': 'eu-west-1,us-east-1, ap' }, ['region']);
    assert.deepEqual(planProjectedPartitionQueries(mapper(['region']), table, projected), [
      { values: { region: 'eu-west-1' }, partitions: [] },
      { values: { region: 'us-east-1' }, partitions: [] },
      { values: { region: ' ap' }, partitions: [] },
    ]);
  });

  it('steps an integer range by its interval and pads to its digits', () => {
    const { table, projected } = project({ 'projection.bucket.type': 'integer', 'projection.bucket.range': ' 1 , 10 ', 'projection.bucket.interval': '3', 'projection.bucket.digits': '2' }, ['bucket']);
    assert.deepEqual(planProjectedPartitionQueries(mapper(['bucket']), table, projected).map((g) => g.values.bucket), ['01', '04', '07', '10']);
  });

  it('enumerates NOW-3YEARS,NOW day by day, today included', () => {
    const { table, projected } = project({ 'projection.dt.type': 'date', 'projection.dt.range': 'NOW-3YEARS,NOW', 'projection.dt.format': 'yyyy-MM-dd' }, ['dt']);
    const dts = planProjectedPartitionQueries(mapper(['dt']), table, projected).map((g) => g.values.dt);
    assert.deepEqual(dts, daysBetween([2023, 12, 2], [2026, 12, 2]));
    assert.equal(dts.length, 365 * 3 + 1 + 1, 'three years holding one leap day (2024-02-29), both ends included');
  });

  it('enumerates months of a fixed range, and hours with an explicit unit', () => {
    const months = project({ 'projection.ym.type': 'date', 'projection.ym.range': '2024/11,2025/02', 'projection.ym.format': 'yyyy/MM' }, ['ym']);
    assert.deepEqual(months.projected.values('ym'), ['2024/11', '2024/12', '2025/01', '2025/02']);
    const hours = project(
      { 'projection.h.type': 'date', 'projection.h.range': "2024-02-28'T'22,2024-02-29'T'01".replace(/'T'/g, 'T'), 'projection.h.format': "yyyy-MM-dd'T'HH", 'projection.h.interval': '1', 'projection.h.interval.unit': 'HOURS' },
      ['h'],
    );
    assert.deepEqual(hours.projected.values('h'), ['2024-02-28T22', '2024-02-28T23', '2024-02-29T00', '2024-02-29T01']);
    const weekly = project({ 'projection.d.type': 'date', 'projection.d.range': '20240101,20240201', 'projection.d.format': 'yyyyMMdd', 'projection.d.interval': '2', 'projection.d.interval.unit': 'WEEKS' }, ['d']);
    assert.deepEqual(weekly.projected.values('d'), ['20240101', '20240115', '20240129']);
  });

  it('splits only by the mapper keys: the others are left to the projection, and no key means one query', () => {
    const params = { 'projection.region.type': 'enum', 'projection.region.values': 'eu,us', 'projection.year.type': 'integer', 'projection.year.range': '2023,2025' };
    const { table, projected } = project(params, ['region', 'year']);
    assert.deepEqual(planProjectedPartitionQueries(mapper([]), table, projected), [{ values: {}, partitions: [] }]);
    assert.deepEqual(planProjectedPartitionQueries(mapper(['year']), table, projected).map((g) => g.values), [{ year: '2023' }, { year: '2024' }, { year: '2025' }]);
    assert.equal(planProjectedPartitionQueries(mapper(['region', 'year']), table, projected).length, 6);
  });

  it('every projected value lands in exactly one group (property)', () => {
    const enumValues = fc.uniqueArray(fc.stringMatching(/^[a-z0-9-]{1,6}$/), { minLength: 1, maxLength: 5 });
    const integer = fc.record({ min: fc.integer({ min: -50, max: 50 }), span: fc.integer({ min: 0, max: 40 }), interval: fc.integer({ min: 1, max: 7 }), digits: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }) });
    fc.assert(
      fc.property(enumValues, integer, fc.subarray(['region', 'n']), (regions, int, keys) => {
        const params: Record<string, string> = {
          'projection.region.type': 'enum',
          'projection.region.values': regions.join(','),
          'projection.n.type': 'integer',
          'projection.n.range': `${int.min},${int.min + int.span}`,
          'projection.n.interval': String(int.interval),
          ...(int.digits !== undefined ? { 'projection.n.digits': String(int.digits) } : {}),
        };
        const { table, projected } = project(params, ['region', 'n']);
        // Independent expectation: the integers a plain loop reaches, written as Java's %0Nd would.
        const pad = (n: number) => (int.digits === undefined ? String(n) : (n < 0 ? '-' : '') + String(Math.abs(n)).padStart(int.digits - (n < 0 ? 1 : 0), '0'));
        const ns: string[] = [];
        for (let n = int.min; n <= int.min + int.span; n += int.interval) ns.push(pad(n));
        const expected: Record<string, string[]> = { region: regions, n: ns };
        const groups = planProjectedPartitionQueries(mapper(keys), table, projected);
        const combos = keys.reduce<Array<Record<string, string>>>((acc, key) => acc.flatMap((c) => expected[key]!.map((v) => ({ ...c, [key]: v }))), [{}]);
        assert.equal(groups.length, combos.length);
        for (const combo of combos) {
          const holding = groups.filter((g) => keys.every((key) => g.values[key] === combo[key]));
          assert.equal(holding.length, 1, `combination ${JSON.stringify(combo)} in exactly one group`);
        }
        for (const group of groups) assert.deepEqual(Object.keys(group.values), keys);
      }),
      { numRuns: 200 },
    );
  });

  it('dates enumerate the days a calendar count gives, for any NOW and reach back (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2001-01-01T00:00:00Z'), max: new Date('2090-12-31T23:59:59Z'), noInvalidDate: true }), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 3 }), (asOf, daysBack, yearsBack) => {
        const range = yearsBack > 0 ? `NOW-${yearsBack}YEARS,NOW` : `NOW-${daysBack}DAYS,NOW`;
        const { projected } = project({ 'projection.dt.type': 'date', 'projection.dt.range': range, 'projection.dt.format': 'yyyy-MM-dd' }, ['dt'], asOf);
        const y = asOf.getUTCFullYear();
        const m = asOf.getUTCMonth() + 1;
        const d = asOf.getUTCDate();
        let start: [number, number, number];
        if (yearsBack > 0) {
          // java.time: Feb 29 minus whole years is Feb 28 when the earlier year is not a leap year.
          const lastDay = new Date(Date.UTC(y - yearsBack, m, 0)).getUTCDate();
          start = [y - yearsBack, m, Math.min(d, lastDay)];
        } else {
          const back = new Date(Date.UTC(y, m - 1, d - daysBack));
          start = [back.getUTCFullYear(), back.getUTCMonth() + 1, back.getUTCDate()];
        }
        assert.deepEqual(projected.values('dt'), daysBetween(start, [y, m, d]));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses more queries than it plans for, naming the mapper', () => {
    const { table, projected } = project({ 'projection.n.type': 'integer', 'projection.n.range': '0,20000' }, ['n']);
    assert.throws(() => planProjectedPartitionQueries(mapper(['n']), table, projected), { name: 'InputError', message: /mapper "m": its partitionKeys \(n\) split the projected table into 20001 find queries, over 10000/ });
  });
});

describe('parsePartitionProjection', () => {
  const refuse = (parameters: Record<string, string>, keys: string[], message: RegExp) =>
    assert.throws(() => parsePartitionProjection({ 'projection.enabled': 'true', ...parameters }, keys, WHERE), { name: 'InputError', message });

  it('is off unless projection.enabled is true', () => {
    assert.equal(parsePartitionProjection({ 'projection.dt.type': 'injected' }, ['dt'], WHERE), undefined);
  });

  it('refuses an injected key, naming the table and the key', () => {
    refuse({ 'projection.job.type': 'injected' }, ['job'], /Glue table lake\.events: partition projection of key "job": type injected is not supported/);
  });

  it('refuses an unknown unit in the interval or in a NOW range', () => {
    refuse({ 'projection.dt.type': 'date', 'projection.dt.range': '2024-01-01,NOW', 'projection.dt.format': 'yyyy-MM-dd', 'projection.dt.interval.unit': 'FORTNIGHTS' }, ['dt'], /key "dt": interval\.unit "FORTNIGHTS" is not a unit lethe supports/);
    refuse({ 'projection.dt.type': 'date', 'projection.dt.range': 'NOW-3DECADES,NOW', 'projection.dt.format': 'yyyy-MM-dd' }, ['dt'], /key "dt": range end "NOW-3DECADES": unit "DECADES" is not a unit/);
  });

  it('refuses what it cannot format, a range that does not parse, a missing type, and lists every problem', () => {
    refuse(
      {
        'projection.a.type': 'date',
        'projection.a.range': '2024-01-01,NOW',
        'projection.a.format': 'yyyy-MMM-dd',
        'projection.b.type': 'date',
        'projection.b.range': '2024-13-01,NOW',
        'projection.b.format': 'yyyy-MM-dd',
        'projection.d.type': 'date',
        'projection.d.range': '2024-01-01 00,NOW',
        'projection.d.format': 'yyyy-MM-dd HH',
      },
      ['a', 'b', 'c', 'd'],
      /key "a": date format "yyyy-MMM-dd": pattern "MMM" is not supported[\s\S]*key "b": range end "2024-13-01" does not have the format "yyyy-MM-dd"[\s\S]*key "c": projection\.<key>\.type is missing[\s\S]*key "d": date format "yyyy-MM-dd HH" with interval 1 needs projection\.<key>\.interval\.unit/,
    );
  });

  it('refuses a template naming something that is not a partition key', () => {
    refuse({ 'projection.dt.type': 'enum', 'projection.dt.values': 'a', 'storage.location.template': 's3://lake/events/${day}/' }, ['dt'], /storage\.location\.template "s3:\/\/lake\/events\/\$\{day\}\/" names "day", not a partition key/);
  });
});

describe('planCoverage over a projected table', () => {
  const params = {
    'projection.region.type': 'enum',
    'projection.region.values': 'eu,us',
    'projection.dt.type': 'date',
    'projection.dt.range': '2024/01/30,2024/02/02',
    'projection.dt.format': 'yyyy/MM/dd',
    'storage.location.template': 's3://lake/events/${region}/${dt}/',
  };

  it('reads objects below a projected location and names one outside every projected partition', () => {
    const { projected } = project(params, ['region', 'dt']);
    const read = ['s3://lake/events/eu/2024/01/30/part-0.json', 's3://lake/events/us/2024/02/02/deep/part-1.json', 's3://lake/events/eu/2024/02/01/part-2.json'];
    const notData = ['s3://lake/events/eu/2024/01/30/_SUCCESS', 's3://lake/events/.tmp/x'];
    const outside = [
      's3://lake/events/eu/2024/01/29/part-9.json', // a day before the range
      's3://lake/events/fr/2024/01/30/part-9.json', // a region the enum does not hold
      's3://lake/events/eu/2024/1/30/part-9.json', // a month written without its zero
      's3://lake/events/eu/2024/02/30/part-9.json', // not a date
      's3://lake/events/eu/part-9.json', // above the partitions
    ];
    const plan = planCoverage('s3://lake/events/', [...read, ...notData, ...outside, 's3://lake/other/x.json'], projected);
    assert.deepEqual(plan.unread, outside);
    assert.deepEqual(plan.coverage, { objects: 10, read: 3, notData: 2 });
  });

  it('without a template reads Hive folders key=value/ in table order', () => {
    const hive = Object.fromEntries(Object.entries(params).filter(([name]) => name !== 'storage.location.template'));
    const { projected } = project(hive, ['region', 'dt']);
    const plan = planCoverage('s3://lake/events/', ['s3://lake/events/region=eu/dt=2024/01/31/a.json', 's3://lake/events/dt=2024/01/31/region=eu/b.json'], projected);
    assert.deepEqual(plan.unread, ['s3://lake/events/dt=2024/01/31/region=eu/b.json']);
  });
});

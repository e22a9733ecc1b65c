import assert from 'node:assert/strict';
import fc from 'fast-check';
import { planCoverage } from '../../../shared/find/planCoverage';
import { Partition } from '../../../shared/ports/Catalog';

/** What an object is, by how the test made it: the expectation, never computed by planCoverage. */
type Truth = 'read' | 'notData' | 'unread' | 'outside';

/** Folder values that share prefixes, so a partition `year=202` must not cover `year=2020/...`. */
const YEARS = ['202', '2020', '2021', '2024'];
const NAMES: Array<{ name: (i: number) => string; data: boolean }> = [
  { name: (i) => `part-${i}.parquet`, data: true },
  { name: (i) => `part[${i}].parquet`, data: true },
  { name: () => '_SUCCESS', data: false },
  { name: (i) => `.part-${i}.parquet.crc`, data: false },
  { name: (i) => `_temporary/attempt-${i}.parquet`, data: false },
  { name: (i) => `.hidden/part-${i}.parquet`, data: false },
];

const lake = fc.record({
  location: fc.constantFrom('/lake/t', 's3://bucket/t/', 's3://bucket/t'),
  /** Glue lists partitions without objects (Athena reads everything below); a directory lake lists them. */
  listsObjects: fc.boolean(),
  registered: fc.subarray(YEARS),
  objects: fc.array(fc.record({ year: fc.constantFrom(...YEARS, undefined), kind: fc.nat(NAMES.length - 1), outside: fc.boolean() }), { maxLength: 40 }),
});

describe('planCoverage', () => {
  it('accounts for every object under the location exactly once: read, not data, or unread (random lakes)', () => {
    fc.assert(
      fc.property(lake, ({ location, listsObjects, registered, objects }) => {
        const base = location.replace(/\/$/, '');
        const made = objects.map(({ year, kind, outside }, i) => {
          const shape = NAMES[kind]!;
          const folder = year === undefined ? '' : `year=${year}/`;
          const uri = `${outside ? `${base}2` : base}/${folder}${shape.name(i)}`;
          const truth: Truth = outside ? 'outside' : !shape.data ? 'notData' : year !== undefined && registered.includes(year) ? 'read' : 'unread';
          return { uri, year, truth };
        });
        const partitions: Partition[] = registered.map((year) => ({
          values: { year },
          location: `${base}/year=${year}`,
          // A directory lake's partition holds the data objects of its own folder, as its catalog lists them.
          ...(listsObjects ? { objects: made.filter((m) => m.truth === 'read' && m.year === year).map((m) => m.uri) } : {}),
        }));
        const plan = planCoverage(location, made.map((m) => m.uri), partitions);
        const count = (truth: Truth) => made.filter((m) => m.truth === truth).length;
        assert.deepEqual(plan.coverage, { objects: made.length - count('outside'), read: count('read'), notData: count('notData') });
        assert.deepEqual(plan.unread, made.filter((m) => m.truth === 'unread').map((m) => m.uri));
      }),
      { numRuns: 300 },
    );
  });

  it('a partitioned table with no registered partition reads nothing: every data object is unread', () => {
    const listed = ['s3://b/t/year=2024/part-0.parquet', 's3://b/t/year=2024/_SUCCESS', 's3://b/t/year=2023/part-0.parquet'];
    const plan = planCoverage('s3://b/t/', listed, []);
    assert.deepEqual(plan, { coverage: { objects: 3, read: 0, notData: 1 }, unread: ['s3://b/t/year=2024/part-0.parquet', 's3://b/t/year=2023/part-0.parquet'] });
  });
});

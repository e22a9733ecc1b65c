import assert from 'node:assert/strict';
import { planPartitionQueries } from '../../../shared/find/planPartitionQueries';
import { DataMapper } from '../../../shared/model/dataMapper';
import { Partition, TableDescription } from '../../../shared/ports/Catalog';

const table: TableDescription = { location: '/lake/t', format: 'parquet', columns: [], partitionKeys: ['year', 'month'] };
const mapper = (partitionKeys: string[]): DataMapper => ({
  id: 't', location: { kind: 'prefix', uri: '/lake/t' }, format: 'parquet', columns: ['id'], partitionKeys, deleteOldVersions: true, ignoreObjectNotFound: false,
});

/** A deterministic pseudo-random stream, so a failing case can be replayed. */
function* randomPartitions(seed: number, count: number): Generator<Partition> {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31);
  for (let i = 0; i < count; i++) {
    const year = String(2020 + (next() % 4));
    const month = String(1 + (next() % 12)).padStart(2, '0');
    yield { values: { year, month }, location: `/lake/t/year=${year}/month=${month}/${i}` };
  }
}

describe('planPartitionQueries', () => {
  it('puts each partition in exactly one group, whose values it shares (200 random lakes)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const partitions = [...randomPartitions(seed, 1 + (seed % 40))];
      for (const keys of [[], ['year'], ['year', 'month'], ['month']]) {
        const groups = planPartitionQueries(mapper(keys), table, partitions);
        const placed = groups.flatMap((g) => g.partitions);
        assert.equal(placed.length, partitions.length);
        assert.equal(new Set(placed).size, partitions.length);
        for (const group of groups) for (const p of group.partitions) for (const key of keys) assert.equal(p.values[key], group.values[key]);
        const distinct = new Set(partitions.map((p) => keys.map((k) => p.values[k]).join('/')));
        assert.equal(groups.length, distinct.size, 'one query per distinct value of the keys');
      }
    }
  });

  it('puts every partition in one group when the executor reads a whole table in one query', () => {
    const partitions = [...randomPartitions(7, 30)];
    const groups = planPartitionQueries(mapper(['year']), table, partitions, 'table');
    assert.deepEqual(groups, [{ values: {}, partitions }]);
    assert.deepEqual(planPartitionQueries(mapper(['year']), table, [], 'table'), []);
    assert.throws(() => planPartitionQueries(mapper(['day']), table, partitions, 'table'), { name: 'InputError' });
  });

  it('names a partition key the table does not have', () => {
    assert.throws(() => planPartitionQueries(mapper(['day']), table, []), { name: 'InputError', message: /mapper "t": partitionKeys "day" not in the table's partition keys \(year, month\)/ });
  });
});

import { DataMapper } from '../model/dataMapper';
import { InputError } from '../model/errors';
import { Partition, TableDescription } from '../ports/Catalog';
import { PartitionGroup, QueryScope } from '../ports/QueryExecutor';

/**
 * Groups partitions by the values of the mapper's partition keys: one find query per group. With no
 * keys, or when the executor reads a whole table in one query, the whole table is one group. Every
 * partition lands in exactly one group; groups are ordered by their values so plans are stable.
 */
export function planPartitionQueries(mapper: DataMapper, table: TableDescription, partitions: readonly Partition[], scope: QueryScope = 'partitionGroup'): PartitionGroup[] {
  const unknown = mapper.partitionKeys.filter((key) => !table.partitionKeys.includes(key));
  if (unknown.length > 0) {
    throw new InputError(
      `mapper "${mapper.id}": partitionKeys ${unknown.map((k) => `"${k}"`).join(', ')} not in the table's partition keys (${table.partitionKeys.join(', ') || 'none'})`,
      { mapperId: mapper.id },
    );
  }
  if (scope === 'table') return partitions.length === 0 ? [] : [{ values: {}, partitions: [...partitions] }];
  const groups = new Map<string, PartitionGroup>();
  for (const partition of partitions) {
    const values: Record<string, string> = {};
    for (const key of mapper.partitionKeys) values[key] = partition.values[key] ?? '';
    const id = JSON.stringify(mapper.partitionKeys.map((key) => values[key]));
    const group = groups.get(id) ?? { values, partitions: [] };
    group.partitions.push(partition);
    groups.set(id, group);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, group]) => group);
}

/** `year=2024/month=05`, for events and errors. */
export function describePartitionGroup(group: PartitionGroup): string {
  const entries = Object.entries(group.values);
  return entries.length === 0 ? '(whole table)' : entries.map(([k, v]) => `${k}=${v}`).join('/');
}

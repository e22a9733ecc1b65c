import { DataMapper } from '../model/dataMapper';
import { InputError } from '../model/errors';
import { TableDescription } from '../ports/Catalog';
import { PartitionGroup } from '../ports/QueryExecutor';
import { ProjectedPartitions } from './resolvePartitionProjection';

/** More find queries than this for one mapper is refused: each Athena query costs at least 10 MB scanned and a slot. */
export const MAX_PROJECTED_QUERIES = 10_000;

/**
 * Groups a projected table's partitions by the values of the mapper's partition keys: one find query
 * per combination of their projected values, filtering on them; keys the mapper does not split by
 * are left to Athena's projection. With no keys the whole table is one group. A projected group
 * lists no partitions (Glue holds none): its values are what the query filters on.
 */
export function planProjectedPartitionQueries(mapper: DataMapper, table: TableDescription, projected: ProjectedPartitions): PartitionGroup[] {
  const unknown = mapper.partitionKeys.filter((key) => !table.partitionKeys.includes(key));
  if (unknown.length > 0) {
    throw new InputError(
      `mapper "${mapper.id}": partitionKeys ${unknown.map((k) => `"${k}"`).join(', ')} not in the table's partition keys (${table.partitionKeys.join(', ') || 'none'})`,
      { mapperId: mapper.id },
    );
  }
  const valuesOf = mapper.partitionKeys.map((key) => ({ key, values: projected.values(key) }));
  const count = valuesOf.reduce((product, { values }) => product * values.length, 1);
  if (count > MAX_PROJECTED_QUERIES) {
    throw new InputError(
      `mapper "${mapper.id}": its partitionKeys (${mapper.partitionKeys.join(', ')}) split the projected table into ${count} find queries, over ${MAX_PROJECTED_QUERIES}: split by fewer keys`,
      { mapperId: mapper.id },
    );
  }
  let groups: Array<Record<string, string>> = [{}];
  for (const { key, values } of valuesOf) groups = groups.flatMap((group) => values.map((value) => ({ ...group, [key]: value })));
  return groups.map((values) => ({ values, partitions: [] }));
}

import { DataMapper } from '../model/dataMapper';
import { Catalog } from '../ports/Catalog';

/**
 * Fills in the format of every mapper that leaves it to its Glue table's SerDe. A job snapshots its
 * mappers and the forget workers rewrite by the snapshot's format, so this runs before a job is created.
 */
export async function resolveMapperFormats(catalog: Catalog, mappers: readonly DataMapper[]): Promise<DataMapper[]> {
  const resolved: DataMapper[] = [];
  for (const mapper of mappers) resolved.push(mapper.format ? mapper : { ...mapper, format: (await catalog.describeTable(mapper)).format });
  return resolved;
}

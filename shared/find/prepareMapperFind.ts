import { ResolvedColumn } from '../model/columnType';
import { DataMapper } from '../model/dataMapper';
import { isDataObject } from '../model/isDataObject';
import { TableDescription } from '../ports/Catalog';
import { Ports } from '../ports/Ports';
import { HashedQueueItem, MapperManifest, appliesToMapper, buildManifest } from './buildManifest';
import { refuseTableFormats } from './refuseTableFormats';
import { resolveMapperColumns } from './resolveMatchColumns';

/** A mapper's table as the find sees it: its description and every object under its location. */
export interface MapperTable {
  mapper: DataMapper;
  table: TableDescription;
  /** Every object under the table's location as the find began: what the coverage proof accounts for. */
  listed: string[];
}

export interface MapperFind extends MapperTable {
  columns: ResolvedColumn[];
  manifest: MapperManifest;
}

/**
 * Lists the mapper's location, refuses a Delta, Iceberg or Hudi table, and reads the table's
 * description. A folder is listed and checked before the catalog reads any file of it; a Glue table
 * names its location only in its description. The find and the verify both start here, so both
 * account for the same objects.
 */
export async function readMapperTable(ports: Pick<Ports, 'catalog' | 'lake'>, mapper: DataMapper): Promise<MapperTable> {
  const listChecked = async (location: string) => {
    const listed: string[] = [];
    for await (const object of ports.lake.list(location.endsWith('/') ? location : `${location}/`)) listed.push(object.uri);
    refuseTableFormats(mapper.id, location, listed);
    return listed;
  };
  if (mapper.location.kind === 'prefix') {
    const listed = await listChecked(mapper.location.uri);
    return { mapper, table: await ports.catalog.describeTable(mapper), listed };
  }
  const table = await ports.catalog.describeTable(mapper);
  return { mapper, table, listed: await listChecked(table.location) };
}

/**
 * Resolves the mapper's match columns and casts the queue's matches against them. A location without
 * a data object is an empty table: nothing to find, nothing to erase, and no columns to resolve (a
 * directory lake learns them from its files). A match aimed at it is done there, vacuously: the
 * table holds no row of anyone, and the report's coverage line says "0 objects".
 */
export async function prepareMapperFind(ports: Pick<Ports, 'catalog' | 'lake'>, mapper: DataMapper, items: readonly HashedQueueItem[]): Promise<MapperFind> {
  const found = await readMapperTable(ports, mapper);
  if (!found.listed.some((uri) => isDataObject(found.table.location, uri))) {
    const targeting = items.filter(({ item }) => appliesToMapper(item, mapper.id));
    const outcomes = targeting.map(({ item }) => ({ item: item.id, columns: [...mapper.columns] }));
    return { ...found, columns: [], manifest: { rows: [], matchSets: [], skipped: [], outcomes, applicable: targeting.length } };
  }
  const columns = resolveMapperColumns(mapper, found.table);
  return { ...found, columns, manifest: buildManifest(items, mapper.id, columns) };
}

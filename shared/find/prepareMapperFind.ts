import { ResolvedColumn } from '../model/columnType';
import { DataMapper } from '../model/dataMapper';
import { isDataObject } from '../model/isDataObject';
import { TableDescription } from '../ports/Catalog';
import { Ports } from '../ports/Ports';
import { refuseTableFormats } from './refuseTableFormats';
import { resolveMapperColumns } from './resolveMatchColumns';

/** A mapper's table as the find sees it: its description and every object under its location. */
export interface MapperTable {
  mapper: DataMapper;
  table: TableDescription;
  /** Every object under the table's location as the find began: what the coverage proof accounts for. */
  listed: string[];
}

/** A mapper ready for the queue's matches: its table and the columns they are cast to. */
export interface MapperFind extends MapperTable {
  /** False when the location holds no data object: nothing to resolve, find or erase. */
  hasData: boolean;
  /** Empty without data. */
  columns: ResolvedColumn[];
}

/**
 * Lists the mapper's location, refuses a Delta, Iceberg or Hudi table, and reads the table's
 * description. A folder is listed and checked before the catalog reads any file of it (the catalog
 * learns the table from that listing, not from a second one); a Glue table names its location only
 * in its description. The find and the verify both start here, so both account for the same objects.
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
    return { mapper, table: await ports.catalog.describeTable(mapper, listed), listed };
  }
  const table = await ports.catalog.describeTable(mapper);
  return { mapper, table, listed: await listChecked(table.location) };
}

/** Reads the mapper's table and resolves its match columns (a table without a data object has none). */
export async function prepareMapperFind(ports: Pick<Ports, 'catalog' | 'lake'>, mapper: DataMapper): Promise<MapperFind> {
  const found = await readMapperTable(ports, mapper);
  if (!found.listed.some((uri) => isDataObject(found.table.location, uri))) return { ...found, hasData: false, columns: [] };
  return { ...found, hasData: true, columns: resolveMapperColumns(mapper, found.table) };
}

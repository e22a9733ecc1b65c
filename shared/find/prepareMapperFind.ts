import { ResolvedColumn } from '../model/columnType';
import { DataMapper } from '../model/dataMapper';
import { TableDescription } from '../ports/Catalog';
import { Catalog } from '../ports/Catalog';
import { HashedQueueItem, MapperManifest, buildManifest } from './buildManifest';
import { resolveMapperColumns } from './resolveMatchColumns';

export interface MapperFind {
  mapper: DataMapper;
  table: TableDescription;
  columns: ResolvedColumn[];
  manifest: MapperManifest;
}

/** Reads the mapper's table, resolves its match columns and casts the queue's matches against them. */
export async function prepareMapperFind(catalog: Catalog, mapper: DataMapper, items: readonly HashedQueueItem[]): Promise<MapperFind> {
  const table = await catalog.describeTable(mapper);
  const columns = resolveMapperColumns(mapper, table);
  return { mapper, table, columns, manifest: buildManifest(items, mapper.id, columns) };
}

import { DuckDBConnection } from '@duckdb/node-api';
import path from 'node:path';
import { parseDuckDbType } from '../../duckdb/parseDuckDbType';
import { scrubEngineMessage } from '../../privacy/scrubEngineMessage';
import { localObjectFiles, readObjectsSql } from '../../duckdb/readObjectsSql';
import { isDataObject } from '../../model/isDataObject';
import { DataMapper } from '../../model/dataMapper';
import { InputError, errorMessage } from '../../model/errors';
import { Catalog, Partition, TableDescription } from '../../ports/Catalog';
import { ObjectStore } from '../../ports/ObjectStore';

/** Files read to learn a table's columns: enough to see schema evolution, few enough to stay quick. */
const SCHEMA_SAMPLE_FILES = 20;

/**
 * Tables from lethe.yaml over hive-style folders (year=2024/month=05/part-0.parquet). Columns come
 * from the files themselves, read with DuckDB; partition keys from the folder names. Names starting
 * with `_` or `.` are not data and belong to no partition.
 */
export class HiveDirectoryCatalog implements Catalog {
  private readonly listings = new Map<string, string[]>();

  constructor(
    private readonly lake: ObjectStore,
    private readonly connect: () => Promise<DuckDBConnection>,
  ) {}

  async describeTable(mapper: DataMapper, listed?: readonly string[]): Promise<TableDescription> {
    if (mapper.location.kind !== 'prefix' || !mapper.format) {
      throw new InputError(`mapper "${mapper.id}": a Glue table needs LETHE_MODE=aws; locally give a folder and a format`, { mapperId: mapper.id });
    }
    const location = mapper.location.uri;
    const files = (listed ?? (await this.list(location))).filter((uri) => isDataObject(location, uri));
    this.listings.set(mapper.id, files);
    // An empty table has no files to learn columns from, and nothing to find or erase.
    if (files.length === 0) return { location, format: mapper.format, columns: [], partitionKeys: [] };
    const partitionKeys = Object.keys(partitionValues(location, files[0]!));
    const sample = await localObjectFiles(mapper.format, files.slice(0, SCHEMA_SAMPLE_FILES));
    const connection = await this.connect();
    try {
      const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${readObjectsSql(mapper.format, sample, { filename: false })}`);
      const columns = described.getRowObjectsJS().map((row) => ({ name: String(row.column_name), type: parseDuckDbType(String(row.column_type)) }));
      return { location, format: mapper.format, columns, partitionKeys };
    } catch (error) {
      throw new InputError(`mapper "${mapper.id}": cannot read ${mapper.format} objects under ${location}: ${scrubEngineMessage(errorMessage(error))}`, { mapperId: mapper.id });
    } finally {
      connection.closeSync();
    }
  }

  private async list(location: string): Promise<string[]> {
    const uris: string[] = [];
    for await (const object of this.lake.list(location)) uris.push(object.uri);
    return uris;
  }

  async listPartitions(mapper: DataMapper, table: TableDescription): Promise<Partition[]> {
    const files = this.listings.get(mapper.id) ?? [];
    const partitions = new Map<string, Partition>();
    for (const file of files) {
      const folder = path.dirname(file);
      const partition = partitions.get(folder) ?? { values: partitionValues(table.location, file), location: folder, objects: [] };
      partition.objects!.push(file);
      partitions.set(folder, partition);
    }
    return [...partitions.values()];
  }
}

/** key=value folder names between the table's location and the file. */
function partitionValues(location: string, file: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const segment of path.relative(location, path.dirname(file)).split(path.sep)) {
    const equals = segment.indexOf('=');
    if (equals > 0) values[segment.slice(0, equals)] = decodeURIComponent(segment.slice(equals + 1));
  }
  return values;
}

import { DuckDBBlobValue, DuckDBConnection } from '@duckdb/node-api';
import { exactFileLiteral } from '../duckdb/exactFileLiteral';
import { queryRows } from './queryRows';

/** One node of a Parquet schema (parquet_schema), with its path from the root. */
export interface ParquetSchemaNode {
  name: string;
  /** Names from the first top-level column down to this node (the root itself is not included). */
  path: string[];
  /** Physical type (INT32, INT96, BYTE_ARRAY, ...); null for a group. */
  physicalType: string | null;
  convertedType: string | null;
  logicalType: string | null;
  repetition: string | null;
  fieldId: number | null;
  typeLength: number | null;
  scale: number | null;
  precision: number | null;
  children: ParquetSchemaNode[];
}

export interface KeyValueEntry {
  key: Uint8Array;
  value: Uint8Array;
}

/** What a Parquet file looks like physically: what a rewrite tries to carry over and then compares. */
export interface ParquetLayout {
  rowCount: number;
  /** Rows of each row group, in file order. */
  rowGroupRows: number[];
  /** The largest row group's uncompressed size (its column chunks' total_uncompressed_size): what a COPY holds of it per thread. */
  largestRowGroupBytes: number;
  /** Codec of every column chunk (parquet_metadata `compression`). */
  chunkCodecs: string[];
  keyValue: KeyValueEntry[];
  /** Top-level columns of the Parquet schema. */
  schema: ParquetSchemaNode[];
  /** Columns as DuckDB reads them (DESCRIBE): the logical schema the rewrite must keep. */
  columns: { name: string; type: string }[];
}

export async function readParquetLayout(connection: DuckDBConnection, file: string): Promise<ParquetLayout> {
  const source = exactFileLiteral(file);
  const chunks = await queryRows(connection, `SELECT row_group_id, row_group_num_rows, compression, total_uncompressed_size FROM parquet_metadata(${source}) ORDER BY row_group_id, column_id`);
  const rowGroups = new Map<number, number>();
  const rowGroupBytes = new Map<number, number>();
  for (const chunk of chunks) {
    const group = Number(chunk.row_group_id);
    rowGroups.set(group, Number(chunk.row_group_num_rows));
    rowGroupBytes.set(group, (rowGroupBytes.get(group) ?? 0) + Number(chunk.total_uncompressed_size ?? 0));
  }
  const keyValue = await queryRows(connection, `SELECT key, value FROM parquet_kv_metadata(${source})`);
  const schemaRows = await queryRows(
    connection,
    `SELECT name, type, converted_type, logical_type, repetition_type, field_id, type_length, scale, precision, num_children FROM parquet_schema(${source})`,
  );
  // A path with key=value folders would otherwise add those keys as columns the file does not hold.
  const columns = await queryRows(connection, `DESCRIBE SELECT * FROM read_parquet(${source}, hive_partitioning = false)`);
  const rowCount = [...rowGroups.values()].reduce((sum, rows) => sum + rows, 0);
  return {
    rowCount,
    rowGroupRows: [...rowGroups.entries()].sort(([a], [b]) => a - b).map(([, rows]) => rows),
    largestRowGroupBytes: Math.max(0, ...rowGroupBytes.values()),
    chunkCodecs: chunks.map((chunk) => String(chunk.compression)),
    keyValue: keyValue.map((entry) => ({ key: blobBytes(entry.key), value: blobBytes(entry.value) })),
    schema: buildSchemaTree(schemaRows),
    columns: columns.map((column) => ({ name: String(column.column_name), type: String(column.column_type) })),
  };
}

function blobBytes(value: unknown): Uint8Array {
  if (value instanceof DuckDBBlobValue) return value.bytes;
  return new TextEncoder().encode(String(value));
}

/** parquet_schema lists the nodes depth-first with a child count; the first row is the root. */
function buildSchemaTree(rows: Record<string, unknown>[]): ParquetSchemaNode[] {
  let next = 1;
  const readChildren = (count: number, parentPath: string[]): ParquetSchemaNode[] => {
    const nodes: ParquetSchemaNode[] = [];
    for (let i = 0; i < count && next < rows.length; i++) {
      const row = rows[next++]!;
      const name = String(row.name);
      const nodePath = [...parentPath, name];
      const childCount = nullableNumber(row.num_children) ?? 0;
      nodes.push({
        name,
        path: nodePath,
        physicalType: nullableString(row.type),
        convertedType: nullableString(row.converted_type),
        logicalType: nullableString(row.logical_type),
        repetition: nullableString(row.repetition_type),
        fieldId: nullableNumber(row.field_id),
        typeLength: nullableNumber(row.type_length),
        scale: nullableNumber(row.scale),
        precision: nullableNumber(row.precision),
        children: readChildren(childCount, nodePath),
      });
    }
    return nodes;
  };
  const rootChildren = rows.length > 0 ? (nullableNumber(rows[0]!.num_children) ?? 0) : 0;
  return readChildren(rootChildren, []);
}

function nullableString(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function nullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

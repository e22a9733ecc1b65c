import { quoteIdentifier } from '../duckdb/sqlText';
import { KeyValueEntry, ParquetLayout, ParquetSchemaNode } from './readParquetLayout';

export interface ParquetCopyOptions {
  /** The option list of `COPY ... TO ... (<sql>)`. */
  sql: string;
  /** What the options cannot carry, known before writing. */
  changes: string[];
}

/** DuckDB writes every row group in whole vectors of 2048 rows: a smaller ROW_GROUP_SIZE still gives 2048. */
export const DUCKDB_MIN_ROW_GROUP_ROWS = 2048;

/**
 * The codecs DuckDB 1.5's writer accepts, by the name parquet_metadata reports. LZ4 (the Hadoop
 * framing) and LZO have no writer: LZ4 becomes LZ4_RAW (same algorithm, standard framing) and LZO
 * becomes SNAPPY (the closest in speed and ratio).
 */
const WRITER_CODECS: Record<string, { option: string; written: string }> = {
  UNCOMPRESSED: { option: 'uncompressed', written: 'UNCOMPRESSED' },
  SNAPPY: { option: 'snappy', written: 'SNAPPY' },
  GZIP: { option: 'gzip', written: 'GZIP' },
  BROTLI: { option: 'brotli', written: 'BROTLI' },
  ZSTD: { option: 'zstd', written: 'ZSTD' },
  LZ4_RAW: { option: 'lz4_raw', written: 'LZ4_RAW' },
  LZ4: { option: 'lz4_raw', written: 'LZ4_RAW' },
  LZO: { option: 'snappy', written: 'SNAPPY' },
};

/** COPY options that carry the source's codec, row-group size, key/value metadata and field ids. */
export function buildParquetCopyOptions(source: ParquetLayout): ParquetCopyOptions {
  const changes: string[] = [];
  const options = ['FORMAT parquet'];

  const codec = mostCommon(source.chunkCodecs) ?? 'SNAPPY';
  const writer = WRITER_CODECS[codec] ?? WRITER_CODECS.SNAPPY!;
  options.push(`COMPRESSION ${writer.option}`);
  if (writer.written !== codec) changes.push(`codec ${codec === 'LZ4' ? 'LZ4 (hadoop)' : codec} written as ${writer.written}`);
  const otherCodecs = [...new Set(source.chunkCodecs)].filter((c) => c !== codec);
  if (otherCodecs.length > 0) changes.push(`column chunks compressed with ${otherCodecs.join(', ')} written as ${writer.written} (one codec per file)`);

  const firstRowGroup = source.rowGroupRows[0];
  if (firstRowGroup !== undefined && firstRowGroup > 0) options.push(`ROW_GROUP_SIZE ${firstRowGroup}`);

  const keyValue = keyValueOption(source.keyValue, changes);
  if (keyValue) options.push(`KV_METADATA ${keyValue}`);

  const fieldIds = fieldIdStruct(source.schema);
  if (fieldIds) options.push(`FIELD_IDS ${fieldIds}`);

  return { sql: options.join(', '), changes };
}

function mostCommon(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: string | undefined;
  for (const [value, count] of counts) if (best === undefined || count > counts.get(best)!) best = value;
  return best;
}

/**
 * Values go in as from_hex(...) so binary values (protobuf descriptors) and quotes survive byte for
 * byte. Keys become struct field names, which must be text.
 */
function keyValueOption(entries: readonly KeyValueEntry[], changes: string[]): string | undefined {
  const fields: string[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const key = decodeUtf8(entry.key);
    if (key === undefined || key.length === 0) {
      changes.push(`key/value metadata entry with a non-text key (${Buffer.from(entry.key).toString('hex')}) dropped`);
      continue;
    }
    if (seen.has(key)) {
      changes.push(`duplicate key/value metadata key "${key}" kept once`);
      continue;
    }
    seen.add(key);
    fields.push(`${quoteIdentifier(key)}: from_hex('${Buffer.from(entry.value).toString('hex')}')`);
  }
  return fields.length > 0 ? `{${fields.join(', ')}}` : undefined;
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * FIELD_IDS as DuckDB spells it: `{col: id}` for a leaf, `{col: {__duckdb_field_id: id, child: ...}}`
 * for a group. DuckDB names a list's element `element` and a map's children `key` and `value`,
 * whatever the source called them, so the ids of those levels are placed under DuckDB's names.
 */
function fieldIdStruct(nodes: readonly ParquetSchemaNode[]): string | undefined {
  const entries = nodes.map((node) => fieldIdEntry(node.name, node)).filter((entry): entry is string => entry !== undefined);
  return entries.length > 0 ? `{${entries.join(', ')}}` : undefined;
}

function fieldIdEntry(name: string, node: ParquetSchemaNode): string | undefined {
  const children = logicalChildren(node);
  const childEntries = children.map(([childName, child]) => fieldIdEntry(childName, child)).filter((e): e is string => e !== undefined);
  if (childEntries.length === 0) return node.fieldId === null ? undefined : `${quoteIdentifier(name)}: ${node.fieldId}`;
  const own = node.fieldId === null ? [] : [`__duckdb_field_id: ${node.fieldId}`];
  return `${quoteIdentifier(name)}: {${[...own, ...childEntries].join(', ')}}`;
}

/** The children a DuckDB type sees: struct fields, a list's element, a map's key and value. */
function logicalChildren(node: ParquetSchemaNode): [string, ParquetSchemaNode][] {
  const repeated = node.children.length === 1 ? node.children[0]! : undefined;
  if (node.convertedType === 'LIST' && repeated) {
    const element = repeated.children.length === 1 ? repeated.children[0]! : repeated;
    return [['element', element]];
  }
  if ((node.convertedType === 'MAP' || node.convertedType === 'MAP_KEY_VALUE') && repeated && repeated.children.length === 2) {
    return [
      ['key', repeated.children[0]!],
      ['value', repeated.children[1]!],
    ];
  }
  return node.children.map((child) => [child.name, child]);
}

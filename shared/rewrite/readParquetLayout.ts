import { DuckDBConnection } from '@duckdb/node-api';
import { exactFileLiteral } from '../duckdb/exactFileLiteral';
import { CODECS, CONVERTED_TYPES, LOGICAL_TYPES, PHYSICAL_TYPES, REPETITIONS, TIME_UNITS, enumName } from '../parquet/parquetNames';
import { readParquetFooter } from '../parquet/readParquetFooter';
import { COLUMN_CHUNK, COLUMN_METADATA, FILE_METADATA, ROW_GROUP } from '../parquet/readRowGroupPlaces';
import { ThriftStruct } from '../parquet/thriftCompact';
import { fieldValue, integerField, structField, structListField } from '../parquet/thriftFields';
import { queryRows } from './queryRows';

/** A SchemaElement's LogicalType: the name of its union member, and what TIME, TIMESTAMP and INTEGER carry. */
export interface ParquetLogicalType {
  /** STRING, MAP, LIST, DECIMAL, DATE, TIME, TIMESTAMP, INTEGER, UUID, ...; `unknown logical type <id>` for a member of a newer parquet.thrift. */
  name: string;
  unit?: 'MILLIS' | 'MICROS' | 'NANOS';
  isAdjustedToUTC?: boolean;
  bitWidth?: number;
  isSigned?: boolean;
}

/** One node of a Parquet schema (a SchemaElement of the footer), with its path from the root. */
export interface ParquetSchemaNode {
  name: string;
  /** Names from the first top-level column down to this node (the root itself is not included). */
  path: string[];
  /** Physical type (INT32, INT96, BYTE_ARRAY, ...); null for a group. */
  physicalType: string | null;
  convertedType: string | null;
  logicalType: ParquetLogicalType | null;
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

/** One column chunk of a row group, where its pages start and how they are stored. */
export interface ParquetColumnChunk {
  rowGroup: number;
  /** The leaf's index in schema order (parquet_metadata's column_id). */
  column: number;
  physicalType: string;
  codec: string;
  /** The dictionary page's offset when there is one, else the first data page's. */
  start: number;
  compressedBytes: number;
}

/** What a Parquet file looks like physically: what a rewrite tries to carry over and then compares. */
export interface ParquetLayout {
  fileBytes: number;
  rowCount: number;
  /** Rows of each row group, in file order. */
  rowGroupRows: number[];
  /** The largest row group's uncompressed size (its column chunks' total_uncompressed_size): what a COPY holds of it per thread. */
  largestRowGroupBytes: number;
  /** All row groups' uncompressed size. */
  uncompressedBytes: number;
  /** Codec of every column chunk (parquet_metadata `compression`). */
  chunkCodecs: string[];
  /** Every column chunk, row group by row group. */
  chunks: ParquetColumnChunk[];
  keyValue: KeyValueEntry[];
  /** Top-level columns of the Parquet schema. */
  schema: ParquetSchemaNode[];
  /** The schema's SchemaElements as the footer holds them, the root first. */
  schemaElements: ThriftStruct[];
}

/**
 * Reads a file's layout from its footer, decoded here: one read of the file's tail instead of a
 * DuckDB query per table function (parquet_metadata, parquet_kv_metadata, parquet_schema), which a
 * rewrite of a small object paid twice (source and output). Throws ParquetFooterError or
 * ThriftDecodeError for a file that is no readable Parquet.
 */
export async function readParquetLayout(file: string): Promise<ParquetLayout> {
  const { metadata, fileBytes } = await readParquetFooter(file);
  const schemaElements = structListField(metadata, FILE_METADATA.schema, 'FileMetaData') ?? [];
  const rowGroups = structListField(metadata, FILE_METADATA.rowGroups, 'FileMetaData') ?? [];
  const rowGroupRows: number[] = [];
  const chunks: ParquetColumnChunk[] = [];
  let largestRowGroupBytes = 0;
  let uncompressedBytes = 0;
  for (const [index, rowGroup] of rowGroups.entries()) {
    const where = `row group ${index}`;
    rowGroupRows.push(Number(integerField(rowGroup, ROW_GROUP.numRows, where) ?? 0n));
    let uncompressed = 0;
    for (const [column, chunk] of (structListField(rowGroup, ROW_GROUP.columns, where) ?? []).entries()) {
      const at = `${where} column ${column}`;
      const meta = structField(chunk, COLUMN_CHUNK.metaData, at);
      if (!meta) throw new ParquetLayoutError(`${at} has no ColumnMetaData (an encrypted column?)`);
      uncompressed += Number(integerField(meta, COLUMN_METADATA.totalUncompressedSize, at) ?? 0n);
      const dictionary = Number(integerField(meta, COLUMN_METADATA.dictionaryPageOffset, at) ?? 0n);
      chunks.push({
        rowGroup: index,
        column,
        physicalType: enumName(PHYSICAL_TYPES, Number(integerField(meta, COLUMN_METADATA.type, at) ?? -1n)),
        codec: enumName(CODECS, Number(integerField(meta, COLUMN_METADATA.codec, at) ?? -1n)),
        // 0 is never a page (the file starts with PAR1): some writers leave a missing dictionary at 0.
        start: dictionary > 0 ? dictionary : Number(integerField(meta, COLUMN_METADATA.dataPageOffset, at) ?? 0n),
        compressedBytes: Number(integerField(meta, COLUMN_METADATA.totalCompressedSize, at) ?? 0n),
      });
    }
    largestRowGroupBytes = Math.max(largestRowGroupBytes, uncompressed);
    uncompressedBytes += uncompressed;
  }
  return {
    fileBytes,
    rowCount: rowGroupRows.reduce((sum, rows) => sum + rows, 0),
    rowGroupRows,
    largestRowGroupBytes,
    uncompressedBytes,
    chunkCodecs: chunks.map((chunk) => chunk.codec),
    chunks,
    keyValue: (structListField(metadata, FILE_METADATA.keyValue, 'FileMetaData') ?? []).map((entry) => ({
      key: binaryField(entry, KEY_VALUE.key),
      // An unset value reads as empty, as DuckDB's parquet_kv_metadata gives it.
      value: binaryField(entry, KEY_VALUE.value),
    })),
    schema: buildSchemaTree(schemaElements),
    schemaElements,
  };
}

/** A footer that decodes but does not describe row groups a reader could find. */
export class ParquetLayoutError extends Error {
  override name = 'ParquetLayoutError';
}

/** A column as DuckDB's DESCRIBE gives it, e.g. `{ name: 'ts', type: 'TIMESTAMP WITH TIME ZONE' }`. */
export interface DescribedColumn {
  name: string;
  type: string;
}

/**
 * Columns as DuckDB reads the file (DESCRIBE): the logical schema the rewrite must keep. The path may
 * hold key=value folders, which would otherwise add those keys as columns the file does not hold.
 */
export async function describeParquetColumns(connection: DuckDBConnection, file: string): Promise<DescribedColumn[]> {
  const columns = await queryRows(connection, `DESCRIBE SELECT * FROM read_parquet(${exactFileLiteral(file)}, hive_partitioning = false)`);
  return columns.map((column) => ({ name: String(column.column_name), type: String(column.column_type) }));
}

const KEY_VALUE = { key: 1, value: 2 } as const;
const SCHEMA_ELEMENT = { type: 1, typeLength: 2, repetition: 3, name: 4, numChildren: 5, convertedType: 6, scale: 7, precision: 8, fieldId: 9, logicalType: 10 } as const;
const TIME_TYPE = { isAdjustedToUTC: 1, unit: 2 } as const;
const INT_TYPE = { bitWidth: 1, isSigned: 2 } as const;
/** LogicalType union members that carry fields read here. */
const LOGICAL = { time: 7, timestamp: 8, integer: 10 } as const;

function binaryField(struct: ThriftStruct, id: number): Uint8Array {
  const value = fieldValue(struct, id);
  return value?.type === 'binary' ? value.value : new Uint8Array();
}

/** The footer lists the schema's elements depth-first with a child count; the first is the root. */
function buildSchemaTree(elements: readonly ThriftStruct[]): ParquetSchemaNode[] {
  let next = 1;
  const readChildren = (count: number, parentPath: string[]): ParquetSchemaNode[] => {
    const nodes: ParquetSchemaNode[] = [];
    for (let i = 0; i < count && next < elements.length; i++) {
      const element = elements[next++]!;
      const where = `schema element ${next - 1}`;
      const number = (id: number) => {
        const value = integerField(element, id, where);
        return value === undefined ? null : Number(value);
      };
      const name = Buffer.from(binaryField(element, SCHEMA_ELEMENT.name)).toString('utf8');
      const nodePath = [...parentPath, name];
      const physical = number(SCHEMA_ELEMENT.type);
      const converted = number(SCHEMA_ELEMENT.convertedType);
      const repetition = number(SCHEMA_ELEMENT.repetition);
      nodes.push({
        name,
        path: nodePath,
        physicalType: physical === null ? null : enumName(PHYSICAL_TYPES, physical),
        convertedType: converted === null ? null : enumName(CONVERTED_TYPES, converted),
        logicalType: readLogicalType(structField(element, SCHEMA_ELEMENT.logicalType, where), where),
        repetition: repetition === null ? null : enumName(REPETITIONS, repetition),
        fieldId: number(SCHEMA_ELEMENT.fieldId),
        typeLength: number(SCHEMA_ELEMENT.typeLength),
        scale: number(SCHEMA_ELEMENT.scale),
        precision: number(SCHEMA_ELEMENT.precision),
        children: readChildren(number(SCHEMA_ELEMENT.numChildren) ?? 0, nodePath),
      });
    }
    return nodes;
  };
  const root = elements[0];
  return root ? readChildren(Number(integerField(root, SCHEMA_ELEMENT.numChildren, 'schema root') ?? 0n), []) : [];
}

function readLogicalType(union: ThriftStruct | undefined, where: string): ParquetLogicalType | null {
  const member = union?.fields[0];
  if (!member) return null;
  const type: ParquetLogicalType = { name: LOGICAL_TYPES[member.id] ?? `unknown logical type ${member.id}` };
  if (member.value.type !== 'struct') return type;
  if (member.id === LOGICAL.time || member.id === LOGICAL.timestamp) {
    const utc = fieldValue(member.value, TIME_TYPE.isAdjustedToUTC);
    const unit = structField(member.value, TIME_TYPE.unit, where)?.fields[0]?.id;
    if (utc?.type === 'bool') type.isAdjustedToUTC = utc.value;
    if (unit !== undefined && TIME_UNITS[unit]) type.unit = TIME_UNITS[unit];
  } else if (member.id === LOGICAL.integer) {
    const bits = integerField(member.value, INT_TYPE.bitWidth, where);
    const signed = fieldValue(member.value, INT_TYPE.isSigned);
    if (bits !== undefined) type.bitWidth = Number(bits);
    if (signed?.type === 'bool') type.isSigned = signed.value;
  }
  return type;
}

import { ThriftStruct } from './thriftCompact';
import { fieldValue, integerField, structField, structListField } from './thriftFields';

/** [offset, offset + length) in a file. */
export interface ByteRange {
  offset: number;
  length: number;
}

/** Where one column chunk's bytes are: its pages, and what lies outside them that points back. */
export interface ColumnChunkPlace {
  chunk: ThriftStruct;
  /** From its first page (dictionary, index or data) to first + total_compressed_size. */
  pages: ByteRange;
  columnIndex?: ByteRange;
  offsetIndex?: ByteRange;
  /** The bloom filter's start; its length when the footer gives one (older writers do not). */
  bloomFilter?: { offset: number; length?: number };
}

export interface RowGroupPlace {
  rowGroup: ThriftStruct;
  rows: number;
  /** From the first chunk's first page to the last chunk's end: what a splice copies as one piece. */
  span: ByteRange;
  chunks: ColumnChunkPlace[];
}

/** A footer this code will not move bytes for; the reason goes into the object's result. */
export class UnsupportedParquetLayoutError extends Error {
  override name = 'UnsupportedParquetLayoutError';
}

/** parquet.thrift field ids used here. */
export const FILE_METADATA = { schema: 2, numRows: 3, rowGroups: 4, keyValue: 5, encryptionAlgorithm: 8, footerSigningKeyMetadata: 9 } as const;
export const ROW_GROUP = { columns: 1, numRows: 3, fileOffset: 5, ordinal: 7 } as const;
export const COLUMN_CHUNK = {
  filePath: 1,
  fileOffset: 2,
  metaData: 3,
  offsetIndexOffset: 4,
  offsetIndexLength: 5,
  columnIndexOffset: 6,
  columnIndexLength: 7,
  cryptoMetadata: 8,
  encryptedColumnMetadata: 9,
} as const;
export const COLUMN_METADATA = { type: 1, codec: 4, totalUncompressedSize: 6, totalCompressedSize: 7, dataPageOffset: 9, indexPageOffset: 10, dictionaryPageOffset: 11, bloomFilterOffset: 14, bloomFilterLength: 15 } as const;

/**
 * The byte places of every row group in a decoded FileMetaData, checked to lie between the leading
 * magic and the footer without overlapping. Encrypted files and chunks in other files (file_path)
 * are refused: their bytes cannot be moved by offsets alone.
 */
export function readRowGroupPlaces(metadata: ThriftStruct, footerOffset: number): RowGroupPlace[] {
  if (fieldValue(metadata, FILE_METADATA.encryptionAlgorithm) !== undefined) throw new UnsupportedParquetLayoutError('the file is encrypted (encryption_algorithm is set)');
  const groups = (structListField(metadata, FILE_METADATA.rowGroups, 'FileMetaData') ?? []).map((rowGroup, index) => readRowGroupPlace(rowGroup, index));
  const bySpan = [...groups].sort((a, b) => a.span.offset - b.span.offset);
  let end = 4;
  for (const group of bySpan) {
    if (group.span.offset < end) throw new UnsupportedParquetLayoutError(`row group byte ranges overlap at byte ${group.span.offset}`);
    end = group.span.offset + group.span.length;
  }
  if (end > footerOffset) throw new UnsupportedParquetLayoutError(`a row group ends at byte ${end}, past the footer at ${footerOffset}`);
  return groups;
}

function readRowGroupPlace(rowGroup: ThriftStruct, index: number): RowGroupPlace {
  const where = `row group ${index}`;
  const chunks = (structListField(rowGroup, ROW_GROUP.columns, where) ?? []).map((chunk, column) => readColumnChunkPlace(chunk, `${where} column ${column}`));
  if (chunks.length === 0) throw new UnsupportedParquetLayoutError(`${where} has no column chunks`);
  const start = Math.min(...chunks.map((chunk) => chunk.pages.offset));
  const end = Math.max(...chunks.map((chunk) => chunk.pages.offset + chunk.pages.length));
  return { rowGroup, rows: Number(integerField(rowGroup, ROW_GROUP.numRows, where) ?? 0n), span: { offset: start, length: end - start }, chunks };
}

function readColumnChunkPlace(chunk: ThriftStruct, where: string): ColumnChunkPlace {
  if (fieldValue(chunk, COLUMN_CHUNK.filePath) !== undefined) throw new UnsupportedParquetLayoutError(`${where} lives in another file (file_path)`);
  if (fieldValue(chunk, COLUMN_CHUNK.cryptoMetadata) !== undefined || fieldValue(chunk, COLUMN_CHUNK.encryptedColumnMetadata) !== undefined) {
    throw new UnsupportedParquetLayoutError(`${where} is encrypted`);
  }
  const metaData = structField(chunk, COLUMN_CHUNK.metaData, where);
  if (!metaData) throw new UnsupportedParquetLayoutError(`${where} has no ColumnMetaData`);
  // 0 is never a page: the file starts with PAR1. Some writers leave a missing dictionary at 0.
  const pageOffsets = [COLUMN_METADATA.dictionaryPageOffset, COLUMN_METADATA.indexPageOffset, COLUMN_METADATA.dataPageOffset]
    .map((id) => Number(integerField(metaData, id, where) ?? 0n))
    .filter((offset) => offset > 0);
  if (pageOffsets.length === 0) throw new UnsupportedParquetLayoutError(`${where} has no page offset`);
  const pages = { offset: Math.min(...pageOffsets), length: Number(integerField(metaData, COLUMN_METADATA.totalCompressedSize, where) ?? 0n) };
  const place: ColumnChunkPlace = { chunk, pages };
  const columnIndex = optionalRange(chunk, COLUMN_CHUNK.columnIndexOffset, COLUMN_CHUNK.columnIndexLength, where);
  const offsetIndex = optionalRange(chunk, COLUMN_CHUNK.offsetIndexOffset, COLUMN_CHUNK.offsetIndexLength, where);
  if (columnIndex) place.columnIndex = columnIndex;
  if (offsetIndex) place.offsetIndex = offsetIndex;
  const bloomOffset = integerField(metaData, COLUMN_METADATA.bloomFilterOffset, where);
  if (bloomOffset !== undefined && bloomOffset > 0n) {
    const bloomLength = integerField(metaData, COLUMN_METADATA.bloomFilterLength, where);
    place.bloomFilter = { offset: Number(bloomOffset), ...(bloomLength === undefined ? {} : { length: Number(bloomLength) }) };
  }
  return place;
}

function optionalRange(chunk: ThriftStruct, offsetId: number, lengthId: number, where: string): ByteRange | undefined {
  const offset = integerField(chunk, offsetId, where);
  const length = integerField(chunk, lengthId, where);
  if (offset === undefined || length === undefined || offset <= 0n) return undefined;
  return { offset: Number(offset), length: Number(length) };
}

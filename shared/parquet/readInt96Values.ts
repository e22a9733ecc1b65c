import { open } from 'node:fs/promises';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { decompressSnappy } from './decompressSnappy';
import { decodeThriftStruct } from './thriftCompact';
import { fieldValue, integerField, structField } from './thriftFields';

/** One INT96 column chunk of a file, as parquet_metadata places it. */
export interface Int96Chunk {
  /** parquet_metadata `compression`: UNCOMPRESSED, SNAPPY, GZIP, BROTLI, ... */
  codec: string;
  /** The dictionary page's offset when there is one, else the first data page's. */
  start: number;
  totalCompressedSize: number;
  /** From the schema: levels a v1 data page stores before its values. */
  maxRepetitionLevel: number;
  maxDefinitionLevel: number;
}

/** An INT96 as written: nanoseconds into the day and the Julian day number. */
export interface Int96Value {
  nanosOfDay: bigint;
  julianDay: number;
}

export class UnsupportedInt96ChunkError extends Error {}

const PAGE_HEADER = { type: 1, uncompressedSize: 2, compressedSize: 3, dataPage: 5, dictionaryPage: 7, dataPageV2: 8 } as const;
const PAGE_TYPE = { data: 0, index: 1, dictionary: 2, dataV2: 3 } as const;
const ENCODING = { plain: 0, plainDictionary: 2, rle: 3, rleDictionary: 8 } as const;

/**
 * Every INT96 value stored in a chunk, read from its pages without DuckDB (which converts INT96 to
 * microseconds on read, so it cannot show what it would lose). A dictionary page holds each
 * dictionary-encoded value once; PLAIN data pages hold theirs after the levels. Values only, not
 * rows: the caller asks whether any value stored there could be altered.
 */
export async function readInt96Values(file: string, chunk: Int96Chunk): Promise<Int96Value[]> {
  const bytes = await readRange(file, chunk.start, chunk.totalCompressedSize);
  const values: Int96Value[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const { struct: header, end } = decodeThriftStruct(bytes, offset);
    const where = `${file}: INT96 page at byte ${chunk.start + offset}`;
    const type = Number(integerField(header, PAGE_HEADER.type, where));
    const compressedSize = Number(integerField(header, PAGE_HEADER.compressedSize, where) ?? -1n);
    if (compressedSize < 0 || end + compressedSize > bytes.length) throw new UnsupportedInt96ChunkError(`${where}: page size runs past the column chunk`);
    const page = bytes.subarray(end, end + compressedSize);
    offset = end + compressedSize;
    if (type === PAGE_TYPE.dictionary) {
      values.push(...splitInt96(decompress(page, chunk.codec, where), where));
    } else if (type === PAGE_TYPE.data) {
      const data = structField(header, PAGE_HEADER.dataPage, where);
      if (!data || isDictionaryEncoded(Number(integerField(data, 2, where)), where)) continue;
      if (chunk.maxDefinitionLevel > 0 && Number(integerField(data, 3, where)) !== ENCODING.rle) throw new UnsupportedInt96ChunkError(`${where}: definition levels not RLE-encoded`);
      let body = decompress(page, chunk.codec, where);
      // v1 pages prefix each level run with its byte length; values follow.
      for (const levels of [chunk.maxRepetitionLevel, chunk.maxDefinitionLevel]) {
        if (levels === 0) continue;
        const length = new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(0, true);
        body = body.subarray(4 + length);
      }
      values.push(...splitInt96(body, where));
    } else if (type === PAGE_TYPE.dataV2) {
      const data = structField(header, PAGE_HEADER.dataPageV2, where);
      if (!data || isDictionaryEncoded(Number(integerField(data, 4, where)), where)) continue;
      // v2 keeps the levels uncompressed in front; only the values may be compressed.
      const levelBytes = Number(integerField(data, 5, where) ?? 0n) + Number(integerField(data, 6, where) ?? 0n);
      const compressed = fieldValue(data, 7);
      const valuesSection = page.subarray(levelBytes);
      values.push(...splitInt96(compressed?.type === 'bool' && !compressed.value ? valuesSection : decompress(valuesSection, chunk.codec, where), where));
    }
  }
  return values;
}

function isDictionaryEncoded(encoding: number, where: string): boolean {
  if (encoding === ENCODING.plainDictionary || encoding === ENCODING.rleDictionary) return true;
  if (encoding === ENCODING.plain) return false;
  throw new UnsupportedInt96ChunkError(`${where}: encoding ${encoding} is not one INT96 is written with`);
}

function splitInt96(bytes: Uint8Array, where: string): Int96Value[] {
  if (bytes.length % 12 !== 0) throw new UnsupportedInt96ChunkError(`${where}: ${bytes.length} bytes of values is not a whole number of INT96`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values: Int96Value[] = [];
  for (let i = 0; i < bytes.length; i += 12) values.push({ nanosOfDay: view.getBigInt64(i, true), julianDay: view.getInt32(i + 8, true) });
  return values;
}

function decompress(page: Uint8Array, codec: string, where: string): Uint8Array {
  switch (codec) {
    case 'UNCOMPRESSED':
      return page;
    case 'SNAPPY':
      return decompressSnappy(page);
    case 'GZIP':
      return gunzipSync(page);
    case 'BROTLI':
      return brotliDecompressSync(page);
    default:
      throw new UnsupportedInt96ChunkError(`${where}: ${codec}-compressed INT96 pages cannot be checked`);
  }
}

async function readRange(file: string, start: number, length: number): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, start);
    if (bytesRead !== length) throw new UnsupportedInt96ChunkError(`${file}: column chunk at byte ${start} is cut short (${bytesRead} of ${length} bytes)`);
    return buffer;
  } finally {
    await handle.close();
  }
}

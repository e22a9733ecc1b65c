import { copyFile, FileHandle, open } from 'node:fs/promises';
import { planRowGroupPlacement } from './planRowGroupPlacement';
import { decodeThriftStruct, encodeThriftStruct, ThriftStruct } from './thriftCompact';
import { fieldValue, integerField, structField, structListField, withField, withIntegerField } from './thriftFields';
import { ByteRange, COLUMN_CHUNK, COLUMN_METADATA, ColumnChunkPlace, FILE_METADATA, ROW_GROUP, RowGroupPlace } from './readRowGroupPlaces';

/** One row group of the output, taken byte for byte from `file`. */
export interface RowGroupPiece {
  file: string;
  place: RowGroupPlace;
}

export interface AssembleRequest {
  /** The FileMetaData whose every field but num_rows and row_groups the output keeps (schema, key/value metadata, created_by, column orders, unknown fields). */
  metadata: ThriftStruct;
  /** The output's row groups, in order. */
  pieces: readonly RowGroupPiece[];
  outputFile: string;
  /**
   * The file the output is already a copy of (copyBase), with its row groups: pieces from it stay
   * where they are (see planRowGroupPlacement), and only the rest of the output is written.
   */
  base?: {
    file: string;
    places: readonly RowGroupPlace[];
  };
}

/** What copyBase copies: a whole file, or only the ranges of it held locally. */
export interface BaseCopy {
  file: string;
  /** The ranges of a base only partly read (a ranged download): only those are copied, the rest stay holes. */
  held?: readonly ByteRange[];
}

/** Where each piece's row group landed in the output, in piece order. */
export interface AssembledFile {
  rowGroups: ThriftStruct[];
  bytes: number;
}

const MAGIC = Buffer.from('PAR1', 'latin1');
const COPY_BUFFER_BYTES = 8 * 1024 * 1024;
/** A bloom filter header (BloomFilterHeader: four small fields) fits in far fewer bytes. */
const BLOOM_HEADER_MAX_BYTES = 256;
const OFFSET_INDEX_PAGE_LOCATIONS = 1;
const PAGE_LOCATION_OFFSET = 1;
const BLOOM_HEADER_NUM_BYTES = 1;

/**
 * Writes a Parquet file made of other files' row groups, each copied byte for byte, then their page
 * indexes and bloom filters, then a footer whose offsets point at the copies. Pages hold no file
 * offsets, so a moved column chunk needs only its footer entry shifted; an offset index lists page
 * offsets and is re-encoded shifted.
 */
export async function assembleParquetFile(request: AssembleRequest): Promise<AssembledFile> {
  const { base } = request;
  const placement = planRowGroupPlacement(
    request.pieces.map((piece) => ({ place: piece.place, fromBase: base !== undefined && piece.file === base.file && base.places.includes(piece.place) })),
    base?.places,
  );
  const out = await open(request.outputFile, base ? 'r+' : 'w');
  const inputs = new Map<string, FileHandle>();
  try {
    const input = async (file: string) => inputs.get(file) ?? inputs.set(file, await open(file, 'r')).get(file)!;
    const writer = new PositionedWriter(out);
    if (!base) await writer.write(MAGIC);
    const moved: { piece: RowGroupPiece; delta: number }[] = [];
    for (const [i, piece] of request.pieces.entries()) {
      const position = placement.positions[i]!;
      moved.push({ piece, delta: position - piece.place.span.offset });
      if (base && piece.file === base.file && position === piece.place.span.offset) continue;
      writer.position = position;
      await copyRange(await input(piece.file), piece.place.span, writer);
    }
    for (const range of placement.zeroed) {
      writer.position = range.offset;
      await writer.zeros(range.length);
    }
    writer.position = placement.dataEnd;
    const rowGroups: ThriftStruct[] = [];
    for (const [ordinal, { piece, delta }] of moved.entries()) {
      const chunks: ThriftStruct[] = [];
      for (const place of piece.place.chunks) chunks.push(await moveColumnChunk(place, piece.place.span, delta, await input(piece.file), writer));
      rowGroups.push(moveRowGroup(piece.place.rowGroup, chunks, delta, ordinal));
    }
    const rows = request.pieces.reduce((sum, piece) => sum + BigInt(piece.place.rows), 0n);
    const footer = encodeThriftStruct(
      withField(withIntegerField(request.metadata, FILE_METADATA.numRows, rows, 'i64'), FILE_METADATA.rowGroups, { type: 'list', elementType: 'struct', values: rowGroups }),
    );
    const length = Buffer.alloc(4);
    length.writeUInt32LE(footer.length);
    await writer.write(footer);
    await writer.write(length);
    await writer.write(MAGIC);
    // A copied base is longer than its new row groups and footer when its old footer came after them.
    await out.truncate(writer.position);
    return { rowGroups, bytes: writer.position };
  } finally {
    await out.close();
    for (const handle of inputs.values()) await handle.close();
  }
}

/**
 * The first step of an assembly over a base: the output becomes a copy of the base, by the kernel
 * (much cheaper than reading and writing it), or of its held ranges only, at their offsets in a
 * file of the base's size (holes where the base has them). It reads no other input, so a caller may
 * run it while preparing the pieces.
 */
export async function copyBase(base: BaseCopy, outputFile: string): Promise<void> {
  if (!base.held) return copyFile(base.file, outputFile);
  const input = await open(base.file, 'r');
  try {
    const out = await open(outputFile, 'w');
    try {
      await out.truncate((await input.stat()).size);
      const writer = new PositionedWriter(out);
      for (const range of base.held) {
        writer.position = range.offset;
        await copyRange(input, range, writer);
      }
    } finally {
      await out.close();
    }
  } finally {
    await input.close();
  }
}

function moveRowGroup(rowGroup: ThriftStruct, chunks: ThriftStruct[], delta: number, ordinal: number): ThriftStruct {
  let moved = withField(rowGroup, ROW_GROUP.columns, { type: 'list', elementType: 'struct', values: chunks });
  moved = shiftOffset(moved, ROW_GROUP.fileOffset, delta);
  // The ordinal is the row group's position, part of each page's AAD in encrypted files.
  if (fieldValue(moved, ROW_GROUP.ordinal) !== undefined) moved = withIntegerField(moved, ROW_GROUP.ordinal, BigInt(ordinal), 'i32');
  return moved;
}

async function moveColumnChunk(place: ColumnChunkPlace, span: ByteRange, delta: number, input: FileHandle, writer: PositionedWriter): Promise<ThriftStruct> {
  let chunk = shiftOffset(place.chunk, COLUMN_CHUNK.fileOffset, delta);
  let metaData = structField(chunk, COLUMN_CHUNK.metaData, 'column chunk')!;
  for (const id of [COLUMN_METADATA.dataPageOffset, COLUMN_METADATA.indexPageOffset, COLUMN_METADATA.dictionaryPageOffset]) metaData = shiftOffset(metaData, id, delta);
  if (place.bloomFilter) {
    const length = place.bloomFilter.length ?? (await readBloomFilterLength(input, place.bloomFilter.offset));
    const at = await placeAside(input, { offset: place.bloomFilter.offset, length }, span, delta, writer);
    metaData = withIntegerField(metaData, COLUMN_METADATA.bloomFilterOffset, BigInt(at), 'i64');
  }
  chunk = withField(chunk, COLUMN_CHUNK.metaData, metaData);
  if (place.columnIndex) {
    chunk = withIntegerField(chunk, COLUMN_CHUNK.columnIndexOffset, BigInt(await placeAside(input, place.columnIndex, span, delta, writer)), 'i64');
  }
  if (place.offsetIndex) {
    const shifted = shiftOffsetIndex(await readRange(input, place.offsetIndex), delta);
    chunk = withIntegerField(chunk, COLUMN_CHUNK.offsetIndexOffset, BigInt(writer.position), 'i64');
    chunk = withIntegerField(chunk, COLUMN_CHUNK.offsetIndexLength, BigInt(shifted.length), 'i32');
    await writer.write(shifted);
  }
  return chunk;
}

/** Where a column index or bloom filter is in the output: moved with the span if it lay inside it, else copied after the row groups. */
async function placeAside(input: FileHandle, range: ByteRange, span: ByteRange, delta: number, writer: PositionedWriter): Promise<number> {
  if (range.offset >= span.offset && range.offset + range.length <= span.offset + span.length) return range.offset + delta;
  const at = writer.position;
  await writer.write(await readRange(input, range));
  return at;
}

/** OffsetIndex.page_locations[].offset are file offsets; everything else in it is kept as read. */
function shiftOffsetIndex(bytes: Uint8Array, delta: number): Uint8Array {
  const { struct } = decodeThriftStruct(bytes);
  const locations = structListField(struct, OFFSET_INDEX_PAGE_LOCATIONS, 'OffsetIndex') ?? [];
  const shifted = locations.map((location) => shiftOffset(location, PAGE_LOCATION_OFFSET, delta));
  return encodeThriftStruct(withField(struct, OFFSET_INDEX_PAGE_LOCATIONS, { type: 'list', elementType: 'struct', values: shifted }));
}

/** Shifts an offset field by `delta`, keeping 0 (a writer's "none") and an absent field as they are. */
function shiftOffset(struct: ThriftStruct, id: number, delta: number): ThriftStruct {
  const offset = integerField(struct, id, `field ${id}`);
  if (offset === undefined || offset === 0n) return struct;
  return withIntegerField(struct, id, offset + BigInt(delta), 'i64');
}

/** Writers before parquet-format 2.10 give no bloom_filter_length: the header says how many bitset bytes follow it. */
async function readBloomFilterLength(input: FileHandle, offset: number): Promise<number> {
  const head = await readRange(input, { offset, length: BLOOM_HEADER_MAX_BYTES });
  const { struct, end } = decodeThriftStruct(head);
  return end + Number(integerField(struct, BLOOM_HEADER_NUM_BYTES, 'BloomFilterHeader') ?? 0n);
}

async function readRange(input: FileHandle, range: ByteRange): Promise<Uint8Array> {
  const bytes = new Uint8Array(range.length);
  const { bytesRead } = await input.read(bytes, 0, range.length, range.offset);
  return bytes.subarray(0, bytesRead);
}

/** Reads the next buffer while the last one is written: the copy is bound by I/O, not by either side alone. */
async function copyRange(input: FileHandle, range: ByteRange, writer: PositionedWriter): Promise<void> {
  const size = Math.min(COPY_BUFFER_BYTES, Math.max(1, range.length));
  const buffers = [new Uint8Array(size), new Uint8Array(size)];
  const read = async (done: number, buffer: Uint8Array) => {
    const want = Math.min(buffer.length, range.length - done);
    const { bytesRead } = await input.read(buffer, 0, want, range.offset + done);
    if (bytesRead < want) throw new Error(`the file ends at byte ${range.offset + done + bytesRead}, inside a row group that should end at ${range.offset + range.length}`);
    return buffer.subarray(0, bytesRead);
  };
  let done = 0;
  let next = range.length > 0 ? read(0, buffers[0]!) : undefined;
  for (let turn = 1; next; turn++) {
    const current = await next;
    done += current.length;
    next = done < range.length ? read(done, buffers[turn % 2]!) : undefined;
    await writer.write(current);
  }
}

class PositionedWriter {
  position = 0;
  constructor(private readonly handle: FileHandle) {}

  async zeros(length: number): Promise<void> {
    const zeros = new Uint8Array(Math.min(COPY_BUFFER_BYTES, Math.max(1, length)));
    for (let left = length; left > 0; left -= zeros.length) await this.write(zeros.subarray(0, Math.min(zeros.length, left)));
  }

  async write(bytes: Uint8Array): Promise<void> {
    for (let done = 0; done < bytes.length; ) {
      const { bytesWritten } = await this.handle.write(bytes, done, bytes.length - done, this.position + done);
      done += bytesWritten;
    }
    this.position += bytes.length;
  }
}

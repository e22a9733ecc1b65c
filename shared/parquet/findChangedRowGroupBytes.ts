import { FileHandle, open } from 'node:fs/promises';
import { encodeThriftStruct, ThriftStruct } from './thriftCompact';
import { structField, withField } from './thriftFields';
import { rangesCovered } from '../model/byteRanges';
import { ByteRange, COLUMN_METADATA, RowGroupPlace } from './readRowGroupPlaces';

/** A source row group that the output should hold unchanged, and where. */
export interface KeptRowGroup {
  source: RowGroupPlace;
  output: RowGroupPlace;
  sourceIndex: number;
}

const COMPARE_BUFFER_BYTES = 8 * 1024 * 1024;
/** Offsets move with the copy; every other ColumnMetaData field must be what the source said. */
const MOVING_FIELDS = [COLUMN_METADATA.dataPageOffset, COLUMN_METADATA.indexPageOffset, COLUMN_METADATA.dictionaryPageOffset, COLUMN_METADATA.bloomFilterOffset];

/**
 * Reads the kept row groups back from both files and lists each column chunk whose pages or
 * metadata (offsets aside) differ: the proof that a splice moved them without changing a byte.
 * With `held` (the source was only partly read), a chunk whose pages were not read cannot be
 * compared here: it must sit at its source offset, where the store puts the source version's own
 * bytes (a server-side copy, or a read of that version).
 */
export async function findChangedRowGroupBytes(sourceFile: string, outputFile: string, kept: readonly KeptRowGroup[], held?: readonly ByteRange[]): Promise<string[]> {
  const source = await open(sourceFile, 'r');
  const output = await open(outputFile, 'r');
  try {
    const problems: string[] = [];
    for (const group of kept) {
      if (group.source.chunks.length !== group.output.chunks.length || group.source.rows !== group.output.rows) {
        problems.push(`row group ${group.sourceIndex} has ${group.output.chunks.length} chunks of ${group.output.rows} rows, expected ${group.source.chunks.length} of ${group.source.rows}`);
        continue;
      }
      for (const [column, chunk] of group.source.chunks.entries()) {
        const copy = group.output.chunks[column]!;
        const where = `row group ${group.sourceIndex} column ${column}`;
        if (!Buffer.from(stillMetaData(chunk.chunk)).equals(Buffer.from(stillMetaData(copy.chunk)))) problems.push(`${where}: column metadata changed`);
        else if (held && !rangesCovered([chunk.pages], held)) {
          if (copy.pages.offset !== chunk.pages.offset) problems.push(`${where}: moved from byte ${chunk.pages.offset} to ${copy.pages.offset}, but its bytes were never read to be moved`);
        } else if (!(await sameBytes(source, chunk.pages.offset, output, copy.pages.offset, chunk.pages.length))) problems.push(`${where}: page bytes changed`);
      }
    }
    return problems;
  } finally {
    await source.close();
    await output.close();
  }
}

function stillMetaData(chunk: ThriftStruct): Uint8Array {
  let metaData = structField(chunk, 3, 'column chunk') ?? { type: 'struct', fields: [] };
  for (const id of MOVING_FIELDS) metaData = withField(metaData, id, undefined);
  return encodeThriftStruct(metaData);
}

async function sameBytes(a: FileHandle, aOffset: number, b: FileHandle, bOffset: number, length: number): Promise<boolean> {
  const left = Buffer.alloc(Math.min(COMPARE_BUFFER_BYTES, Math.max(1, length)));
  const right = Buffer.alloc(left.length);
  for (let done = 0; done < length; ) {
    const want = Math.min(left.length, length - done);
    const [read, other] = await Promise.all([a.read(left, 0, want, aOffset + done), b.read(right, 0, want, bOffset + done)]);
    if (read.bytesRead !== want || other.bytesRead !== want || !left.subarray(0, want).equals(right.subarray(0, want))) return false;
    done += want;
  }
  return true;
}

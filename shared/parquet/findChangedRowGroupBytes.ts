import { createHash, Hash } from 'node:crypto';
import { FileHandle, open } from 'node:fs/promises';
import { encodeThriftStruct, ThriftStruct } from './thriftCompact';
import { structField, withField } from './thriftFields';
import { mergeRanges, rangesCovered } from '../model/byteRanges';
import { ByteRange, COLUMN_METADATA, RowGroupPlace } from './readRowGroupPlaces';

/** A source row group that the output should hold unchanged, and where. */
export interface KeptRowGroup {
  source: RowGroupPlace;
  output: RowGroupPlace;
  sourceIndex: number;
}

export interface KeptRowGroupCheck {
  /** One sentence per column chunk whose pages or metadata (offsets aside) differ; empty when none does. */
  problems: string[];
  /** The SHA-256 (hex) of the whole output, from the same read; absent when not asked for or the source was only partly read (`held`). */
  outputSha256?: string;
}

/** Kept pages at this offset of the output, to be compared with the source's bytes at that one. */
interface Comparison {
  where: string;
  output: number;
  source: number;
  length: number;
  /** Bytes found equal so far; the chunk is unchanged only when this reaches `length`. */
  equal: number;
  changed: boolean;
  /** Another kept chunk that claims some of the same output bytes: neither can be the source's then. */
  overlaps?: string;
}

/** Large reads from the page cache cost little per call; two blocks of each file are in memory at a time. */
const BLOCK_BYTES = 8 * 1024 * 1024;
/** Offsets move with the copy; every other ColumnMetaData field must be what the source said. */
const MOVING_FIELDS = [COLUMN_METADATA.dataPageOffset, COLUMN_METADATA.indexPageOffset, COLUMN_METADATA.dictionaryPageOffset, COLUMN_METADATA.bloomFilterOffset];

/**
 * Reads the kept row groups back from both files and lists each column chunk whose pages or
 * metadata (offsets aside) differ: the proof that a splice moved them without changing a byte. The
 * output is read once, front to back, and with `hashOutput` hashed as it goes, so the caller needs no
 * second read for its SHA-256. With `held` (the source was only partly read), only the output's blocks holding
 * a comparable chunk are read, and no hash is made; a chunk whose pages were not read cannot be
 * compared here: it must sit at its source offset, where the store puts the source version's own
 * bytes (a server-side copy, or a read of that version).
 */
export async function findChangedRowGroupBytes(
  sourceFile: string,
  outputFile: string,
  kept: readonly KeptRowGroup[],
  held: readonly ByteRange[] | undefined,
  hashOutput: boolean,
): Promise<KeptRowGroupCheck> {
  const verdicts: (string | Comparison)[] = [];
  for (const group of kept) {
    if (group.source.chunks.length !== group.output.chunks.length || group.source.rows !== group.output.rows) {
      verdicts.push(`row group ${group.sourceIndex} has ${group.output.chunks.length} chunks of ${group.output.rows} rows, expected ${group.source.chunks.length} of ${group.source.rows}`);
      continue;
    }
    for (const [column, chunk] of group.source.chunks.entries()) {
      const copy = group.output.chunks[column]!;
      const where = `row group ${group.sourceIndex} column ${column}`;
      if (!Buffer.from(stillMetaData(chunk.chunk)).equals(Buffer.from(stillMetaData(copy.chunk)))) verdicts.push(`${where}: column metadata changed`);
      else if (held && !rangesCovered([chunk.pages], held)) {
        if (copy.pages.offset !== chunk.pages.offset) verdicts.push(`${where}: moved from byte ${chunk.pages.offset} to ${copy.pages.offset}, but its bytes were never read to be moved`);
      } else verdicts.push({ where, output: copy.pages.offset, source: chunk.pages.offset, length: chunk.pages.length, equal: 0, changed: false });
    }
  }
  const comparisons = verdicts.filter((verdict): verdict is Comparison => typeof verdict !== 'string');
  markOverlaps(comparisons);
  const hash = hashOutput && !held ? createHash('sha256') : undefined;
  await compareBlocks(sourceFile, outputFile, comparisons, hash);
  const problems = verdicts.flatMap((verdict) => {
    if (typeof verdict === 'string') return [verdict];
    if (verdict.overlaps) return [`${verdict.where}: shares output bytes with ${verdict.overlaps}`];
    // Pages past the output's end were never found equal.
    return verdict.changed || verdict.equal !== verdict.length ? [`${verdict.where}: page bytes changed`] : [];
  });
  return { problems, ...(hash ? { outputSha256: hash.digest('hex') } : {}) };
}

/** Two chunks placed over each other in the output could not both hold their source's bytes; the block compare assumes they do not. */
function markOverlaps(comparisons: readonly Comparison[]): void {
  const byOffset = [...comparisons].sort((a, b) => a.output - b.output);
  for (const [i, current] of byOffset.entries()) {
    const previous = byOffset[i - 1];
    if (previous && previous.output + previous.length > current.output) {
      current.overlaps = previous.where;
      previous.overlaps ??= current.where;
    }
  }
}

/**
 * Reads the output block by block (every block when hashing it, else those holding a comparison),
 * and beside each block the source bytes its comparisons need, laid out as in the block. The next
 * block is read while this one is hashed and compared.
 */
async function compareBlocks(sourceFile: string, outputFile: string, comparisons: readonly Comparison[], hash: Hash | undefined): Promise<void> {
  const source = await open(sourceFile, 'r');
  const output = await open(outputFile, 'r');
  try {
    const size = (await output.stat()).size;
    const wanted = hash ? [{ offset: 0, length: size }] : mergeRanges(comparisons.map((c) => ({ offset: c.output, length: c.length })));
    const blocks = wanted.flatMap((range) => splitRange(range, BLOCK_BYTES));
    const buffers = [0, 1].map(() => ({ output: Buffer.allocUnsafe(BLOCK_BYTES), source: Buffer.allocUnsafe(BLOCK_BYTES) }));
    const comparable = comparisons.filter((c) => !c.overlaps);
    const load = async (block: ByteRange, buffer: { output: Buffer; source: Buffer }) => {
      const inBlock = comparable.filter((c) => c.output < block.offset + block.length && c.output + c.length > block.offset);
      const [outputRead, sourceRead] = await Promise.all([readFully(output, buffer.output, block.length, block.offset), readSourceLikeBlock(source, buffer.source, block, inBlock)]);
      return { block, inBlock, output: buffer.output.subarray(0, outputRead), source: buffer.source, sourceRead };
    };
    let next = blocks.length > 0 ? load(blocks[0]!, buffers[0]!) : undefined;
    for (let i = 0; next; i++) {
      const current = await next;
      next = i + 1 < blocks.length ? load(blocks[i + 1]!, buffers[(i + 1) % 2]!) : undefined;
      hash?.update(current.output);
      for (const comparison of current.inBlock) {
        const from = Math.max(comparison.output, current.block.offset) - current.block.offset;
        const to = Math.min(comparison.output + comparison.length, current.block.offset + current.block.length) - current.block.offset;
        const complete = to <= current.output.length && current.sourceRead.get(comparison) === to - from;
        if (complete && current.output.subarray(from, to).equals(current.source.subarray(from, to))) comparison.equal += to - from;
        else comparison.changed = true;
      }
    }
  } finally {
    await source.close();
    await output.close();
  }
}

/**
 * Fills `buffer` so that its byte i is the source byte each comparison expects at output offset
 * block.offset + i; a comparison's pieces that sit next to each other in both files are read as one.
 * Returns how many bytes were read for each comparison (fewer when the source ends early).
 */
async function readSourceLikeBlock(source: FileHandle, buffer: Buffer, block: ByteRange, inBlock: readonly Comparison[]): Promise<Map<Comparison, number>> {
  const pieces = inBlock
    .map((c) => {
      const from = Math.max(c.output, block.offset);
      const to = Math.min(c.output + c.length, block.offset + block.length);
      return { comparison: c, at: from - block.offset, sourceOffset: c.source + (from - c.output), length: to - from };
    })
    .sort((a, b) => a.at - b.at);
  const runs: { at: number; sourceOffset: number; length: number; members: typeof pieces }[] = [];
  for (const piece of pieces) {
    const last = runs[runs.length - 1];
    if (last && last.at + last.length === piece.at && last.sourceOffset + last.length === piece.sourceOffset) {
      last.length += piece.length;
      last.members.push(piece);
    } else runs.push({ at: piece.at, sourceOffset: piece.sourceOffset, length: piece.length, members: [piece] });
  }
  const read = new Map<Comparison, number>();
  for (const run of runs) {
    const got = await readFully(source, buffer.subarray(run.at), run.length, run.sourceOffset);
    for (const member of run.members) read.set(member.comparison, Math.max(0, Math.min(member.length, got - (member.at - run.at))));
  }
  return read;
}

/** Reads up to `length` bytes at `position`; fewer only at the end of the file. */
async function readFully(handle: FileHandle, buffer: Buffer, length: number, position: number): Promise<number> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

function splitRange(range: ByteRange, most: number): ByteRange[] {
  const parts: ByteRange[] = [];
  for (let at = range.offset; at < range.offset + range.length; at += most) parts.push({ offset: at, length: Math.min(most, range.offset + range.length - at) });
  return parts;
}

function stillMetaData(chunk: ThriftStruct): Uint8Array {
  let metaData = structField(chunk, 3, 'column chunk') ?? { type: 'struct', fields: [] };
  for (const id of MOVING_FIELDS) metaData = withField(metaData, id, undefined);
  return encodeThriftStruct(metaData);
}

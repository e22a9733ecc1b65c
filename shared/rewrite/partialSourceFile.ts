import { open } from 'node:fs/promises';
import { mergeRanges, subtractRanges } from '../model/byteRanges';
import { ByteRange } from '../ports/ObjectStore';

/**
 * Ranges closer than this are read as one: a request costs more than this many bytes, and the
 * column chunks of one row group usually sit next to each other.
 */
const JOIN_GAP_BYTES = 64 * 1024;

/**
 * The local copy of a source version that holds only the byte ranges asked for so far, each at its
 * offset; the rest are holes (reading as zeros) that no reader may be pointed at. A Parquet rewrite
 * asks for the footer, then the column chunks its scan reads, then what a splice or full rewrite
 * needs; whatever is never asked for stays in the store.
 */
export class PartialSourceFile {
  private held: ByteRange[] = [];

  private constructor(
    readonly file: string,
    readonly size: number,
    private readonly read: (ranges: readonly ByteRange[]) => Promise<void>,
  ) {}

  /** A file of `size` bytes holding nothing yet; `read` writes ranges of the source at their offsets. */
  static async create(file: string, size: number, read: (ranges: readonly ByteRange[]) => Promise<void>): Promise<PartialSourceFile> {
    const handle = await open(file, 'w');
    try {
      await handle.truncate(size);
    } finally {
      await handle.close();
    }
    return new PartialSourceFile(file, size, read);
  }

  /** Makes `ranges` (clipped to the file) hold the source's bytes; ranges held already are not read again. */
  async fetch(ranges: readonly ByteRange[]): Promise<void> {
    const clipped = ranges.map((range) => {
      const offset = Math.max(0, Math.min(this.size, range.offset));
      return { offset, length: Math.max(0, Math.min(this.size, range.offset + range.length) - offset) };
    });
    const wanted = mergeRanges(subtractRanges(clipped, this.held), JOIN_GAP_BYTES);
    if (wanted.length === 0) return;
    await this.read(wanted);
    this.held = mergeRanges([...this.held, ...wanted]);
  }

  fetchAll(): Promise<void> {
    return this.fetch([{ offset: 0, length: this.size }]);
  }

  /** The ranges that hold the source's bytes, sorted and merged. */
  heldRanges(): readonly ByteRange[] {
    return this.held;
  }

  /** The ranges never read: holes of the local file. */
  unreadRanges(): ByteRange[] {
    return subtractRanges([{ offset: 0, length: this.size }], this.held);
  }
}

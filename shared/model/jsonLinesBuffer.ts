/**
 * JSON Lines text built as UTF-8 bytes, one line at a time: each line's string is garbage at once,
 * so a chunk of 50,000 lines is not 50,000 strings surviving until the part is written (they were
 * promoted to the old generation and most of the find's time went to collecting them).
 */
export class JsonLinesBuffer {
  private bytes = Buffer.allocUnsafe(64 * 1024);
  private length = 0;
  /** Lines appended. */
  lines = 0;

  /** Appends `line` (one JSON value, no newline) and a newline. */
  append(line: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    const needed = this.length + line.length * 3 + 1;
    if (needed > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.bytes.length * 2));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    this.length += this.bytes.write(line, this.length);
    this.bytes[this.length++] = 0x0a;
    this.lines++;
  }

  /** The text so far (a view of the buffer: append no more after taking it). */
  text(): Buffer {
    return this.bytes.subarray(0, this.length);
  }
}

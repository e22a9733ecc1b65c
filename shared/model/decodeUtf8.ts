import { InputError } from './errors';

/**
 * Bytes to text, refusing anything that is not UTF-8. The lenient decoder turns a Latin-1 "ü" into
 * U+FFFD, and a match ID altered that way matches no one: the job would end COMPLETED with the
 * person's rows still there. A leading byte-order mark is dropped.
 */
export function decodeUtf8(bytes: Uint8Array, where: string): string {
  return decodeOrRefuse(new TextDecoder('utf-8', { fatal: true }), bytes, where);
}

/** About this many bytes are decoded at a time by decodeUtf8Lines. */
const PIECE_BYTES = 1 << 20;
const LINE_FEED = 0x0a;

/**
 * The lines of UTF-8 bytes (without their line feeds; a final line feed ends the last line), decoded
 * a piece of about a mebibyte at a time: a queue batch of a million IDs never becomes one string of a
 * hundred megabytes. A line feed byte is never part of a multi-byte sequence, so a piece cut after
 * one decodes on its own. Refuses as decodeUtf8 does, when the piece holding the bad bytes is reached;
 * only the first piece's byte-order mark is dropped.
 */
export function* decodeUtf8Lines(bytes: Uint8Array, where: string): Generator<string> {
  const first = new TextDecoder('utf-8', { fatal: true });
  const rest = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  for (let start = 0; start < bytes.length; ) {
    const lineFeed = bytes.indexOf(LINE_FEED, Math.min(start + PIECE_BYTES, bytes.length) - 1);
    const end = lineFeed === -1 ? bytes.length : lineFeed + 1;
    const text = decodeOrRefuse(start === 0 ? first : rest, bytes.subarray(start, end), where);
    start = end;
    for (let from = 0; from < text.length; ) {
      const newline = text.indexOf('\n', from);
      const to = newline === -1 ? text.length : newline;
      yield text.slice(from, to);
      from = to + 1;
    }
  }
}

function decodeOrRefuse(decoder: TextDecoder, bytes: Uint8Array, where: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new InputError(`${where}: not valid UTF-8 (write the file as UTF-8)`);
  }
}

import { InputError } from './errors';

/**
 * Bytes to text, refusing anything that is not UTF-8. The lenient decoder turns a Latin-1 "ü" into
 * U+FFFD, and a match ID altered that way matches no one: the job would end COMPLETED with the
 * person's rows still there. A leading byte-order mark is dropped.
 */
export function decodeUtf8(bytes: Uint8Array, where: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(`${where}: not valid UTF-8 (write the file as UTF-8)`);
  }
}

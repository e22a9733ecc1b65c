import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

/** How records end: at every newline, or at a newline outside a quoted CSV field. */
export type RecordBoundary = { kind: 'lines' } | { kind: 'csv'; quote: string; escape: string; newline: '\n' | '\r' };

/**
 * Yields the records of a file as their exact bytes, terminator included (the last one may have
 * none), reading through gzip when asked. Only one record and one read chunk are held at a time.
 */
export async function* readRecords(file: string, boundary: RecordBoundary, gzip: boolean): AsyncGenerator<Buffer> {
  const stream = gzip ? createReadStream(file).pipe(createGunzip()) : createReadStream(file);
  const splitter = boundary.kind === 'lines' ? lineEnds() : csvRecordEnds(boundary);
  let pending: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    for (const end of splitter(chunk)) {
      pending.push(chunk.subarray(start, end));
      yield Buffer.concat(pending);
      pending = [];
      start = end;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
  if (pending.length > 0) yield Buffer.concat(pending);
}

/** Offsets just past each record terminator in a chunk; state carries across chunks. */
type Splitter = (chunk: Buffer) => Iterable<number>;

function lineEnds(): Splitter {
  return function* (chunk) {
    for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) yield at + 1;
  };
}

/**
 * A newline ends a CSV record only outside quotes. A doubled quote inside a field toggles the state
 * twice, so it needs no case of its own; a distinct escape character skips the byte after it.
 */
function csvRecordEnds(boundary: { quote: string; escape: string; newline: '\n' | '\r' }): Splitter {
  const quote = boundary.quote.length > 0 ? boundary.quote.charCodeAt(0) : -1;
  const escape = boundary.escape.length > 0 && boundary.escape !== boundary.quote ? boundary.escape.charCodeAt(0) : -1;
  const newline = boundary.newline.charCodeAt(0);
  let quoted = false;
  let escaped = false;
  return function* (chunk) {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (escaped) escaped = false;
      else if (quoted && byte === escape) escaped = true;
      else if (byte === quote) quoted = !quoted;
      else if (!quoted && byte === newline) yield i + 1;
    }
  };
}

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

export interface ByteSink {
  /** Resolves when the bytes are buffered within the stream's high-water mark (backpressure). */
  write(bytes: Buffer): Promise<void>;
  /** Flushes and closes; the file is complete when this resolves. */
  close(): Promise<void>;
  /** Closes without caring for the content, for cleanup after a failure. */
  destroy(): void;
}

/** A file written in order, optionally through gzip, without ever holding more than a buffer of it. */
export function openByteSink(file: string, gzip: boolean): ByteSink {
  const fileStream = createWriteStream(file);
  const head: Writable = gzip ? createGzip() : fileStream;
  if (gzip) head.pipe(fileStream);
  return {
    async write(bytes) {
      if (!head.write(bytes)) await once(head, 'drain');
    },
    async close() {
      head.end();
      await finished(fileStream);
    },
    destroy() {
      head.destroy();
      fileStream.destroy();
    },
  };
}

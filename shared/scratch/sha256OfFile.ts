import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** The hex SHA-256 of a scratch file (a downloaded object, a rewrite), streamed: objects may be larger than memory. */
export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

import { open } from 'node:fs/promises';
import { decodeThriftStruct, ThriftStruct } from './thriftCompact';

/** A Parquet file's FileMetaData as read from its tail, and where it sits. */
export interface ParquetFooter {
  metadata: ThriftStruct;
  /** The FileMetaData bytes as stored (a round trip of `metadata` must give these). */
  bytes: Uint8Array;
  /** Where the FileMetaData starts; the row groups and indexes all lie before it. */
  offset: number;
  fileBytes: number;
}

const MAGIC = 'PAR1';
/** The magic of a file whose footer itself is encrypted (parquet-format Encryption.md). */
const ENCRYPTED_MAGIC = 'PARE';

export class ParquetFooterError extends Error {
  override name = 'ParquetFooterError';
}

/** Reads and decodes the footer of a local Parquet file: [FileMetaData][length: u32 LE]["PAR1"]. */
export async function readParquetFooter(file: string): Promise<ParquetFooter> {
  const handle = await open(file, 'r');
  try {
    const fileBytes = (await handle.stat()).size;
    if (fileBytes < 12) throw new ParquetFooterError(`a Parquet file has at least 12 bytes, this one ${fileBytes}`);
    const tail = Buffer.alloc(8);
    await handle.read(tail, 0, 8, fileBytes - 8);
    const magic = tail.subarray(4).toString('latin1');
    if (magic === ENCRYPTED_MAGIC) throw new ParquetFooterError('encrypted Parquet footers (PARE) are not supported');
    if (magic !== MAGIC) throw new ParquetFooterError(`the file does not end in PAR1 (it ends in ${tail.subarray(4).toString('hex')})`);
    const length = tail.readUInt32LE(0);
    const offset = fileBytes - 8 - length;
    if (offset < 4) throw new ParquetFooterError(`footer length ${length} exceeds the ${fileBytes - 12} bytes before it`);
    const bytes = new Uint8Array(length);
    await handle.read(bytes, 0, length, offset);
    const { struct, end } = decodeThriftStruct(bytes);
    if (end !== length) throw new ParquetFooterError(`the footer's FileMetaData ends after ${end} of its ${length} bytes`);
    return { metadata: struct, bytes, offset, fileBytes };
  } finally {
    await handle.close();
  }
}

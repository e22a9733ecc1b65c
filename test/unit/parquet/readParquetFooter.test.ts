import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { readParquetFooter } from '../../../shared/parquet/readParquetFooter';
import { PARQUET_TESTING } from '../../support/rewriteFixtures';

describe('readParquetFooter', () => {
  it('refuses an encrypted footer (PARE), a file without PAR1 and a footer length past the start', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'lethe-footer-'));
    try {
      const bytes = await readFile(path.join(PARQUET_TESTING, 'data', 'sort_columns.parquet'));
      const write = async (name: string, content: Buffer) => {
        await writeFile(path.join(directory, name), content);
        return path.join(directory, name);
      };
      const encrypted = Buffer.concat([bytes.subarray(0, bytes.length - 4), Buffer.from('PARE')]);
      await assert.rejects(readParquetFooter(await write('e.parquet', encrypted)), { name: 'ParquetFooterError', message: /encrypted Parquet footers \(PARE\)/ });
      await assert.rejects(readParquetFooter(await write('j.parquet', Buffer.from('{"a": 1}\n{"a": 2}\n'))), { message: /does not end in PAR1/ });
      const long = Buffer.from(bytes);
      long.writeUInt32LE(bytes.length, bytes.length - 8);
      await assert.rejects(readParquetFooter(await write('l.parquet', long)), { message: new RegExp(`footer length ${bytes.length} exceeds`) });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

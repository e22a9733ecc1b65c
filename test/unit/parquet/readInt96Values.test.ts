import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { readInt96Values } from '../../../shared/parquet/readInt96Values';
import { PARQUET_TESTING } from '../../support/rewriteFixtures';

const JULIAN_DAY_OF_UNIX_EPOCH = 2_440_588n;

/** Every INT96 column chunk of the corpus, placed by hyparquet's footer reader (not lethe's). */
async function int96Files(): Promise<Array<{ file: string; chunks: Array<{ column: string; codec: string; start: number; size: number; optional: boolean }> }>> {
  const hyparquet = await import('hyparquet');
  const directory = path.join(PARQUET_TESTING, 'data');
  const found = [];
  for (const name of (await readdir(directory)).filter((n) => n.endsWith('.parquet')).sort()) {
    const bytes = await readFile(path.join(directory, name));
    let metadata;
    try {
      metadata = hyparquet.parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    } catch {
      continue;
    }
    const chunks = metadata.row_groups.flatMap((group) =>
      group.columns
        .filter((column) => column.meta_data?.type === 'INT96')
        .map((column) => {
          const meta = column.meta_data!;
          const element = metadata.schema.find((e) => e.name === meta.path_in_schema.at(-1))!;
          return {
            column: meta.path_in_schema.join('.'),
            codec: meta.codec,
            start: Number(meta.dictionary_page_offset ?? meta.data_page_offset),
            size: Number(meta.total_compressed_size),
            optional: element.repetition_type === 'OPTIONAL',
          };
        }),
    );
    if (chunks.length > 0) found.push({ file: path.join(directory, name), chunks });
  }
  return found;
}

describe('readInt96Values', () => {
  it('reads every INT96 value of the corpus that hyparquet reads, dictionary and PLAIN pages, uncompressed and Snappy', async () => {
    const hyparquet = await import('hyparquet');
    const { compressors } = await import('hyparquet-compressors');
    const files = await int96Files();
    assert.ok(files.length >= 4, `INT96 files in parquet-testing: ${files.map((f) => path.basename(f.file)).join(', ')}`);
    const codecs = new Set(files.flatMap((f) => f.chunks.map((c) => c.codec)));
    assert.ok(codecs.has('SNAPPY') && codecs.has('UNCOMPRESSED'), [...codecs].join(', '));
    for (const { file, chunks } of files) {
      const bytes = await readFile(file);
      const rows = await hyparquet.parquetReadObjects({
        file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
        compressors,
        columns: [...new Set(chunks.map((c) => c.column))],
        parsers: { timestampFromNanoseconds: (nanos: bigint) => BigInt(nanos) } as never,
      });
      for (const column of new Set(chunks.map((c) => c.column))) {
        const expected = new Set(rows.map((row) => row[column]).filter((v): v is bigint => typeof v === 'bigint'));
        const read = new Set<bigint>();
        for (const chunk of chunks.filter((c) => c.column === column)) {
          const values = await readInt96Values(file, {
            codec: chunk.codec,
            start: chunk.start,
            totalCompressedSize: chunk.size,
            maxRepetitionLevel: 0,
            maxDefinitionLevel: chunk.optional ? 1 : 0,
          });
          for (const value of values) read.add((BigInt(value.julianDay) - JULIAN_DAY_OF_UNIX_EPOCH) * 86_400_000_000_000n + value.nanosOfDay);
        }
        assert.ok(expected.size > 0, `${path.basename(file)} ${column}`);
        assert.deepEqual([...read].sort(), [...expected].sort(), `${path.basename(file)} ${column}`);
      }
    }
  });
});

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { assembleParquetFile } from '../../../shared/parquet/assembleParquetFile';
import { findChangedRowGroupBytes } from '../../../shared/parquet/findChangedRowGroupBytes';
import { readParquetFooter } from '../../../shared/parquet/readParquetFooter';
import { readRowGroupPlaces } from '../../../shared/parquet/readRowGroupPlaces';
import { quoteLiteral } from '../../../shared/duckdb/sqlText';
import { PARQUET_TESTING, sha256File, withRewriteWorkspace } from '../../support/rewriteFixtures';

const DATA = path.join(PARQUET_TESTING, 'data');

describe('assembleParquetFile', () => {
  it('moves row groups with their page indexes and bloom filters; hyparquet reads the same rows, pages and indexes', async () => {
    const hyparquet = await import('hyparquet');
    const directory = await mkdtemp(path.join(os.tmpdir(), 'lethe-assemble-'));
    try {
      // Five row groups with column and offset indexes (one chunk without a column index), from parquet-mr.
      const source = path.join(DATA, 'floating_orders_nan_count.parquet');
      const footer = await readParquetFooter(source);
      const places = readRowGroupPlaces(footer.metadata, footer.offset);
      const order = [4, 0, 2];
      const output = path.join(directory, 'moved.parquet');
      await assembleParquetFile({ metadata: footer.metadata, pieces: order.map((index) => ({ file: source, place: places[index]! })), outputFile: output });

      const sourceBytes = await readFile(source);
      const outputBytes = await readFile(output);
      const sourceFile = toArrayBuffer(sourceBytes);
      const outputFile = toArrayBuffer(outputBytes);
      const sourceMeta = hyparquet.parquetMetadata(sourceFile);
      const outputMeta = hyparquet.parquetMetadata(outputFile);
      assert.deepEqual(outputMeta.schema, sourceMeta.schema);
      assert.deepEqual(outputMeta.key_value_metadata, sourceMeta.key_value_metadata);
      assert.equal(outputMeta.created_by, sourceMeta.created_by);
      assert.equal(outputMeta.num_rows, order.reduce((sum, index) => sum + sourceMeta.row_groups[index]!.num_rows, 0n));

      const starts = sourceMeta.row_groups.map((_, i) => sourceMeta.row_groups.slice(0, i).reduce((sum, group) => sum + Number(group.num_rows), 0));
      const sourceRows = await hyparquet.parquetReadObjects({ file: sourceFile });
      const expected = order.flatMap((index) => sourceRows.slice(starts[index], starts[index]! + Number(sourceMeta.row_groups[index]!.num_rows)));
      assert.deepStrictEqual(await hyparquet.parquetReadObjects({ file: outputFile }), expected);

      let indexedChunks = 0;
      order.forEach((index, position) => {
        sourceMeta.row_groups[index]!.columns.forEach((sourceChunk, column) => {
          const chunk = outputMeta.row_groups[position]!.columns[column]!;
          if (sourceChunk.column_index_offset !== undefined) {
            assert.ok(slice(outputBytes, chunk.column_index_offset, chunk.column_index_length).equals(slice(sourceBytes, sourceChunk.column_index_offset, sourceChunk.column_index_length)));
          } else assert.equal(chunk.column_index_offset, undefined);
          const before = hyparquet.readOffsetIndex({ view: new DataView(sourceFile, Number(sourceChunk.offset_index_offset)), offset: 0 });
          const after = hyparquet.readOffsetIndex({ view: new DataView(outputFile, Number(chunk.offset_index_offset)), offset: 0 });
          assert.equal(after.page_locations.length, before.page_locations.length);
          after.page_locations.forEach((page, i) => {
            const was = before.page_locations[i]!;
            assert.deepEqual([page.compressed_page_size, page.first_row_index], [was.compressed_page_size, was.first_row_index]);
            assert.ok(slice(outputBytes, page.offset, page.compressed_page_size).equals(slice(sourceBytes, was.offset, was.compressed_page_size)), 'page bytes at the new offset');
          });
          indexedChunks++;
        });
      });
      assert.equal(indexedChunks, 18);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('carries a bloom filter whose footer gives no length (parquet-mr before 2.10), reading its header', async () => {
    const hyparquet = await import('hyparquet');
    const directory = await mkdtemp(path.join(os.tmpdir(), 'lethe-assemble-'));
    try {
      const source = path.join(DATA, 'data_index_bloom_encoding_with_length.parquet');
      const footer = await readParquetFooter(source);
      const [place] = readRowGroupPlaces(footer.metadata, footer.offset);
      const withoutLength = { ...place!, chunks: place!.chunks.map((chunk) => ({ ...chunk, bloomFilter: { offset: chunk.bloomFilter!.offset } })) };
      const output = path.join(directory, 'bloom.parquet');
      await assembleParquetFile({ metadata: footer.metadata, pieces: [{ file: source, place: withoutLength }], outputFile: output });
      const sourceBytes = await readFile(source);
      const outputBytes = await readFile(output);
      const before = hyparquet.parquetMetadata(toArrayBuffer(sourceBytes)).row_groups[0]!.columns[0]!.meta_data!;
      const after = hyparquet.parquetMetadata(toArrayBuffer(outputBytes)).row_groups[0]!.columns[0]!.meta_data!;
      assert.equal(after.bloom_filter_length, before.bloom_filter_length);
      assert.ok(slice(outputBytes, after.bloom_filter_offset, before.bloom_filter_length).equals(slice(sourceBytes, before.bloom_filter_offset, before.bloom_filter_length)));
      assert.deepStrictEqual(await hyparquet.parquetReadObjects({ file: toArrayBuffer(outputBytes) }), await hyparquet.parquetReadObjects({ file: toArrayBuffer(sourceBytes) }));
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

function toArrayBuffer(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function slice(bytes: Buffer, offset: bigint | number | undefined, length: bigint | number | undefined): Buffer {
  return bytes.subarray(Number(offset), Number(offset) + Number(length));
}

/** Assembles every row group of `source`, in order, into `output`; each kept group's places in both files. */
async function copyEveryRowGroup(source: string, output: string) {
  const footer = await readParquetFooter(source);
  const places = readRowGroupPlaces(footer.metadata, footer.offset);
  await assembleParquetFile({ metadata: footer.metadata, pieces: places.map((place) => ({ file: source, place })), outputFile: output });
  const copied = await readParquetFooter(output);
  const copiedPlaces = readRowGroupPlaces(copied.metadata, copied.offset);
  return { places, copiedPlaces, kept: places.map((place, index) => ({ sourceIndex: index, source: place, output: copiedPlaces[index]! })) };
}

describe('findChangedRowGroupBytes', () => {
  it('names the column chunk whose bytes differ from the source, and nothing when none does', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'lethe-assemble-'));
    try {
      const source = path.join(DATA, 'floating_orders_nan_count.parquet');
      const output = path.join(directory, 'copy.parquet');
      const { places, copiedPlaces, kept } = await copyEveryRowGroup(source, output);
      assert.deepEqual(await findChangedRowGroupBytes(source, output, kept, undefined, true), { problems: [], outputSha256: await sha256File(output) });
      const bytes = await readFile(output);
      const target = copiedPlaces[3]!.chunks[2]!.pages;
      const last = target.offset + target.length - 1;
      bytes[last] = bytes[last]! ^ 0xff;
      await writeFile(output, bytes);
      assert.deepEqual((await findChangedRowGroupBytes(source, output, kept, undefined, true)).problems, ['row group 3 column 2: page bytes changed']);
      // Without the digest the check reads only the kept chunks, and still finds the byte.
      assert.deepEqual(await findChangedRowGroupBytes(source, output, kept, undefined, false), { problems: ['row group 3 column 2: page bytes changed'] });
      // A footer placing two kept groups over the same bytes: each would pass compared alone.
      const twice = [kept[0]!, { ...kept[0]!, sourceIndex: 1 }];
      assert.deepEqual(
        (await findChangedRowGroupBytes(source, output, twice, undefined, true)).problems,
        [0, 1].flatMap((group) => places[0]!.chunks.map((_, column) => `row group ${group} column ${column}: shares output bytes with row group ${1 - group} column ${column}`)),
      );
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('compares chunks that straddle its 8 MiB reads, hashes the whole output, and names the chunks past a truncated end', async function () {
    this.timeout(60_000);
    await withRewriteWorkspace(async ({ connection, directory }) => {
      // About 19 MB of incompressible text in row groups of about 3 MB: some chunk crosses 8 MiB.
      const source = path.join(directory, 'large.parquet');
      await connection.run(`COPY (SELECT i AS id, md5(i::VARCHAR) || md5((i + 1)::VARCHAR) AS note FROM range(300000) r(i))
        TO ${quoteLiteral(source)} (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 50000, DICTIONARY_COMPRESSION_RATIO_THRESHOLD -1)`);
      const output = path.join(directory, 'copy.parquet');
      const { copiedPlaces, kept } = await copyEveryRowGroup(source, output);
      assert.deepEqual(await findChangedRowGroupBytes(source, output, kept, undefined, true), { problems: [], outputSha256: await sha256File(output) });

      const boundary = 8 * 1024 * 1024;
      const straddling = copiedPlaces.flatMap((place, group) => place.chunks.map((chunk, column) => ({ group, column, pages: chunk.pages }))).find(({ pages }) => pages.offset < boundary && pages.offset + pages.length > boundary);
      assert.ok(straddling, 'a chunk crosses the first 8 MiB');
      const bytes = await readFile(output);
      const last = straddling.pages.offset + straddling.pages.length - 1;
      bytes[last] = bytes[last]! ^ 0xff;
      await writeFile(output, bytes);
      assert.deepEqual((await findChangedRowGroupBytes(source, output, kept, undefined, true)).problems, [`row group ${straddling.group} column ${straddling.column}: page bytes changed`]);

      await writeFile(output, bytes.subarray(0, boundary));
      const cut = copiedPlaces.flatMap((place, group) => place.chunks.map((chunk, column) => ({ name: `row group ${group} column ${column}: page bytes changed`, pages: chunk.pages }))).filter(({ pages }) => pages.offset + pages.length > boundary);
      assert.deepEqual((await findChangedRowGroupBytes(source, output, kept, undefined, true)).problems, cut.map(({ name }) => name));
    });
  });
});

import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { enqueueMatches } from '../../shared/queue/deletionQueue';
import { openLakeWith, readJobReport, runQueuedJob, TestLake } from '../support/localLake';
import { readWithHyparquet } from '../support/rewriteFixtures';

const GROUP_ROWS = 2048;

/** Each row group's column chunks as hyparquet (not lethe's footer code) locates them. */
async function chunksOf(bytes: Buffer): Promise<Buffer[][]> {
  const hyparquet = await import('hyparquet');
  const metadata = hyparquet.parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  return metadata.row_groups.map((group) =>
    group.columns.map((column) => {
      const start = Number(column.meta_data!.dictionary_page_offset || column.meta_data!.data_page_offset);
      return bytes.subarray(start, start + Number(column.meta_data!.total_compressed_size));
    }),
  );
}

describe('a local job over one person in a large Parquet object', function () {
  this.timeout(120_000);
  let lake: TestLake;
  afterEach(async () => {
    await lake?.cleanup();
  });

  it('splices: one row group re-encoded, the other seven byte for byte, the report says so, every other row identical', async () => {
    lake = await openLakeWith(
      async (dir, run) => {
        await mkdir(path.join(dir, 'customers'));
        await run(`COPY (SELECT i::BIGINT AS customer_id, 'customer' || i || '@example.org' AS email, (i * 1.25)::DECIMAL(10,2) AS balance
          FROM range(8 * ${GROUP_ROWS}) r(i)) TO '${path.join(dir, 'customers', 'part-0.parquet')}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${GROUP_ROWS})`);
      },
      [{ id: 'customers', location: './lake/customers', format: 'parquet', columns: ['customer_id'] }],
    );
    const object = path.join(lake.dir, 'lake', 'customers', 'part-0.parquet');
    const before = await readFile(object);
    const rowsBefore = (await readWithHyparquet(object)).rows;
    const target = 5 * GROUP_ROWS + 17;
    await enqueueMatches(lake.runtime.ports.state, [{ match: { kind: 'simple', value: String(target) } }]);
    const job = await runQueuedJob(lake);
    assert.equal(job.status, 'COMPLETED', job.failure);

    const after = await readFile(object);
    assert.deepStrictEqual((await readWithHyparquet(object)).rows, rowsBefore.filter((row) => row.customer_id !== BigInt(target)));
    const [sourceChunks, outputChunks] = [await chunksOf(before), await chunksOf(after)];
    for (const group of [0, 1, 2, 3, 4, 6, 7]) {
      sourceChunks[group]!.forEach((chunk, column) => assert.ok(chunk.equals(outputChunks[group]![column]!), `row group ${group} column ${column}`));
    }
    const report = await readJobReport(lake, job.id);
    assert.equal(report.objects.length, 1);
    assert.equal(report.objects[0]!.rowsDeleted, 1);
    assert.equal(report.objects[0]!.physicalChanges?.[0], 'row-group splice: row group 5 of 8 re-encoded by DuckDB, the other 7 copied byte for byte');
  });
});

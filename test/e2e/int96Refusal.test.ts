import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runJob } from '../../shared/job/runJob';
import { startJob } from '../../shared/job/startJob';
import { enqueueMatches } from '../../shared/queue/deletionQueue';
import { listObjectResults } from '../../shared/records/objectResults';
import { TestLake, openLocalLake } from '../support/localLake';
import { PARQUET_TESTING, readWithHyparquet, sha256File } from '../support/rewriteFixtures';

/** parquet-testing's Impala file: 8 rows, ids 0..7, an INT96 timestamp_col (one dictionary entry per row, uncompressed). */
const ALLTYPES_PLAIN = path.join(PARQUET_TESTING, 'data', 'alltypes_plain.parquet');
/** Where the dictionary page keeps the 12-byte INT96 values of ids 4 and 5 (nanos of day LE64, Julian day LE32). */
const INT96_OF_ID = { 4: 944, 5: 956 } as const;
const JULIAN_UNIX_EPOCH = 2_440_588;

/**
 * The Spark cases int96_from_spark.parquet holds, built from a real Impala file (parquet-testing has
 * no int96_from_spark.parquet here): id 4 in year -4127 (4128 BC), id 5 at 00:01:00.000000123.
 */
async function writeSparkLikeInt96(file: string): Promise<void> {
  const bytes = Buffer.from(await readFile(ALLTYPES_PLAIN));
  bytes.writeBigUInt64LE(45_296_789_000_000n, INT96_OF_ID[4]);
  bytes.writeUInt32LE(214_000, INT96_OF_ID[4] + 8);
  bytes.writeBigUInt64LE(60_000_000_123n, INT96_OF_ID[5]);
  await writeFile(file, bytes);
}

describe('INT96 timestamps DuckDB cannot write back unchanged', function () {
  this.timeout(60_000);
  let lake: TestLake | undefined;
  afterEach(async () => {
    await lake?.cleanup();
  });

  it('refuse their object (named with the column, left as it was), while an INT96 object DuckDB keeps exactly is rewritten', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lethe-int96-'));
    const folder = path.join(dir, 'lake', 'events');
    await mkdir(folder, { recursive: true });
    const sparkLike = path.join(folder, 'part-0.parquet');
    const impala = path.join(folder, 'part-1.parquet');
    await writeSparkLikeInt96(sparkLike);
    await writeFile(impala, await readFile(ALLTYPES_PLAIN));
    const config = { stateDir: './state', dataMappers: [{ id: 'events', location: './lake/events', format: 'parquet', columns: ['id'] }], settings: { maxReceiveCount: 1 } };
    await writeFile(path.join(dir, 'lethe.yaml'), JSON.stringify(config));
    lake = await openLocalLake(dir, path.join(dir, 'lethe.yaml'));

    // The raw INT96 values as an independent reader decodes them (nanoseconds since the epoch).
    const raw = (await readWithHyparquet(sparkLike)).rows;
    const nanosOf = (id: number) => raw.find((row) => row.id === id)!.timestamp_col;
    assert.equal(nanosOf(4), (214_000n - BigInt(JULIAN_UNIX_EPOCH)) * 86_400_000_000_000n + 45_296_789_000_000n);
    assert.equal(nanosOf(5), 1_235_865_660_000_000_123n, '2009-03-01 00:01:00.000000123');
    const sparkBefore = await sha256File(sparkLike);
    const impalaBefore = (await readWithHyparquet(impala)).rows;

    await enqueueMatches(lake.runtime.ports.state, [{ match: { kind: 'simple', value: '2' } }]);
    const started = await startJob(lake.runtime.ports.state, lake.config, 'test');
    const job = await runJob(lake.runtime.ports, started.id, { hmacKey: lake.hmacKey, pollIntervalMs: 50 });

    assert.equal(job.status, 'FORGET_PARTIALLY_FAILED', job.failure);
    assert.equal(await sha256File(sparkLike), sparkBefore, 'the refused object is byte for byte as it was');
    const results = await listObjectResults(lake.runtime.ports.state, job.id);
    const refused = results.find((r) => r.object === sparkLike)!;
    assert.equal(refused.outcome, 'failed');
    assert.match(refused.error ?? '', /part-0\.parquet: INT96 column "timestamp_col" holds 1 value DuckDB would not write back unchanged \(sub-microsecond digits\); refused/);
    // The Impala file's INT96 values are whole microseconds in DuckDB's range: rewritten, and every
    // surviving value is the raw value hyparquet read from the source.
    assert.equal(results.find((r) => r.object === impala)!.outcome, 'updated');
    const impalaAfter = (await readWithHyparquet(impala)).rows;
    assert.deepEqual(
      impalaAfter.map((row) => [row.id, row.timestamp_col]),
      impalaBefore.filter((row) => row.id !== 2).map((row) => [row.id, row.timestamp_col]),
    );
  });
});

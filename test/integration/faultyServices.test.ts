import { SharedMatchTables } from '../../shared/forget/matchSession';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createAwsPorts } from '../../shared/adapters/aws/createAwsPorts';
import { readStoredConfig } from '../../shared/runtime/readStoredConfig';
import { InProcessFleet } from '../../shared/adapters/local/InProcessFleet';
import { closeDuckDb, openDuckDb } from '../../shared/duckdb/openDuckDb';
import { runForgetWorker } from '../../shared/forget/runForgetWorker';
import { runJob } from '../../shared/job/runJob';
import { startJob } from '../../shared/job/startJob';
import { enqueueMatches } from '../../shared/queue/deletionQueue';
import { listJobEvents } from '../../shared/records/jobEvents';
import { JobId } from '../../shared/model/identifiers';
import { startAthenaDuckDbProxy, AthenaDuckDbProxy } from '../support/athenaDuckDbProxy';
import { createGlueParquetTable } from '../support/createGlueParquetTable';
import { FaultProxy, startFaultProxy } from '../support/faultProxy';
import { TEST_HMAC_KEY_HEX, provisionLetheAws } from '../support/letheAwsStack';
import { MotoServer, startMotoServer } from '../support/motoServer';
import { withTestDuckDb } from '../support/localLake';
import { peopleParquet } from '../support/peopleParquet';

const LAKE = 'lake-faults';
const STATE = 'lethe-state-faults';
const SEED = Number(process.env.LETHE_FAULT_SEED ?? 20261202);
const MAX_RECEIVE_COUNT = 10;
/** Twelve objects in three partitions, eight rows each; person p is in the objects listed by `holders`. */
const OBJECTS: Record<string, number[]> = Object.fromEntries(
  Array.from({ length: 12 }, (_, n) => [`people/region=r${n % 3}/part-${n}.parquet`, Array.from({ length: 8 }, (_, i) => n * 8 + i + 1)]),
);
/** One person in each of five objects, and one object (part-11) that loses two. */
const ERASED = [3, 20, 37, 50, 90, 91];

describe('an aws-mode job through a fault proxy (S3 503/500, resets, truncated bodies, SQS throttling)', function () {
  this.timeout(240_000);
  let moto: MotoServer;
  let faults: FaultProxy;
  let athena: AthenaDuckDbProxy;
  let s3: S3Client;
  let work: string;
  let env: NodeJS.ProcessEnv;
  const saved = { endpoint: process.env.AWS_ENDPOINT_URL, athena: process.env.AWS_ENDPOINT_URL_ATHENA };

  before(async () => {
    moto = await startMotoServer();
    // The test's own client talks to moto directly: what it reads back is not subject to faults.
    s3 = new S3Client({ forcePathStyle: true, endpoint: moto.endpoint });
    work = await mkdtemp(path.join(tmpdir(), 'lethe-faults-'));
    athena = await startAthenaDuckDbProxy({ moto, s3, stateBucket: STATE, tables: [{ database: 'lake', table: 'people', location: `s3://${LAKE}/people/` }] });
    env = await provision(moto, s3, work);
    faults = await startFaultProxy({ target: moto.endpoint, seed: SEED, rate: 0.15, kinds: ['s3SlowDown', 's3InternalError', 'reset', 'truncatedBody', 'sqsThrottling'] });
    // lethe's clients read their endpoints from the process environment.
    process.env.AWS_ENDPOINT_URL = faults.endpoint;
    process.env.AWS_ENDPOINT_URL_ATHENA = athena.endpoint;
  });

  after(async () => {
    for (const [name, value] of [['AWS_ENDPOINT_URL', saved.endpoint], ['AWS_ENDPOINT_URL_ATHENA', saved.athena]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await faults?.stop();
    await athena?.stop();
    s3?.destroy();
    await moto?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it(`ends COMPLETED with the right rows gone, every other row identical, and the retries in its events (seed ${SEED})`, async () => {
    const before = await readLake(s3, work);
    const rowsToErase = Object.values(before).flat().filter((row) => ERASED.includes(row.id)).length;
    // Three failed GETs of one object in a row: more than the SDK's own attempts, so the worker's
    // delivery fails and the queue hands the object out again.
    const stubborn = 'people/region=r0/part-6.parquet';
    const stubbornPath = `/${LAKE}/${stubborn.replace('=', '%3D')}?`;
    faults.failNext((r) => r.service === 's3' && r.method === 'GET' && r.url.startsWith(stubbornPath) && r.url.includes('x-id=GetObject'), 's3SlowDown', 3);

    // The SDK sends SQS calls to the queue URL's host, so the URLs name the proxy too.
    const viaProxy = (url: string | undefined) => url?.replace(moto.endpoint, faults.endpoint);
    const ports = createAwsPorts({ ...env, AWS_ENDPOINT_URL: faults.endpoint, LETHE_QUEUE_URL: viaProxy(env.LETHE_QUEUE_URL), LETHE_DLQ_URL: viaProxy(env.LETHE_DLQ_URL) });
    const config = await readStoredConfig(ports.state, ports.config.configKey);
    const duckdb = await openDuckDb({ memoryLimit: '256MB', threads: 1, tempDirectory: path.join(work, 'duckdb') });
    const fleet = new InProcessFleet((signal) =>
      runForgetWorker(
        { ...ports, tempDirectory: work },
        { concurrency: 2, visibilityTimeoutSeconds: 30, maxReceiveCount: config.settings.maxReceiveCount, matchTables: new SharedMatchTables(ports.state, () => duckdb.instance.connect()), signal, retryDelaySeconds: () => 0 },
      ),
    );
    let jobId: JobId;
    try {
      await enqueueMatches(ports.state, ERASED.map((id) => ({ match: { kind: 'simple' as const, value: String(id) } })));
      const started = await startJob(ports.state, config, 'test');
      jobId = started.id;
      const job = await runJob({ ...ports, fleet }, started.id, { hmacKey: Buffer.from(TEST_HMAC_KEY_HEX, 'hex'), pollIntervalMs: 100 });
      assert.equal(job.status, 'COMPLETED', job.failure);
      assert.equal(job.counters.objectsFound, 5);
      // Exact, whatever the faults did: a delivery cut off after its replace (a lost lease, a reset
      // reply) leaves the redelivery the digest of its rewrite, so the object still counts updated.
      assert.equal(job.counters.objectsUpdated, 5, JSON.stringify(job.counters));
      assert.equal(job.counters.objectsUnchanged, 0, JSON.stringify(job.counters));
      assert.equal(job.counters.rowsDeleted, rowsToErase, JSON.stringify(job.counters));
    } finally {
      await fleet.scale(0);
      closeDuckDb(duckdb);
    }
    const injected = { ...faults.injected };
    faults.calm();

    // Faults of every kind reached lethe (the seed and rate are set so that each kind fires).
    for (const [kind, count] of Object.entries(injected)) assert.ok(count > 0, `no ${kind} injected: ${JSON.stringify(injected)}`);

    // Expected from the fixture's own row lists, read back by a DuckDB of the test's own.
    const after = await readLake(s3, work);
    for (const [key, ids] of Object.entries(OBJECTS)) {
      assert.deepEqual(after[key], before[key]!.filter((row) => !ERASED.includes(row.id)), key);
      assert.deepEqual(after[key]!.map((row) => row.id), ids.filter((id) => !ERASED.includes(id)), key);
    }

    // The retry is in the events: the stubborn object was done on a later delivery than its first.
    const events = await listJobEvents(ports.state, jobId);
    const updated = events.filter((e) => e.type === 'ObjectUpdated' || e.type === 'ObjectUnchanged');
    assert.equal(updated.length, 5);
    const retried = updated.filter((e) => e.data.object === `s3://${LAKE}/${stubborn}`);
    assert.equal(retried.length, 1);
    assert.ok(Number(retried[0]!.data.attempts) >= 2, JSON.stringify(retried[0]));
  });
});

type Row = { id: number; email: string };

async function readLake(s3: S3Client, work: string): Promise<Record<string, Row[]>> {
  const rows: Record<string, Row[]> = {};
  for (const key of Object.keys(OBJECTS)) {
    const file = path.join(work, `read-${key.replace(/\//g, '_')}`);
    await writeFile(file, await (await s3.send(new GetObjectCommand({ Bucket: LAKE, Key: key }))).Body!.transformToByteArray());
    rows[key] = await withTestDuckDb(async (connection) => {
      const result = await connection.runAndReadAll(`SELECT id, email FROM read_parquet('${file}')`);
      return result.getRows().map((row) => ({ id: Number(row[0]), email: String(row[1]) }));
    });
  }
  return rows;
}

/** The buckets, the lake, its Glue table and lethe's stack, all on moto directly. */
async function provision(moto: MotoServer, s3: S3Client, work: string): Promise<NodeJS.ProcessEnv> {
  for (const bucket of [LAKE, STATE]) {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  }
  for (const [key, ids] of Object.entries(OBJECTS)) {
    await s3.send(new PutObjectCommand({ Bucket: LAKE, Key: key, Body: await peopleParquet(work, key, ids) }));
  }
  await createGlueParquetTable({
    database: 'lake',
    name: 'people',
    location: `s3://${LAKE}/people/`,
    columns: [
      { Name: 'id', Type: 'bigint' },
      { Name: 'email', Type: 'string' },
    ],
    partitionKeys: [{ Name: 'region', Type: 'string' }],
    partitions: [['r0'], ['r1'], ['r2']],
  });
  // At a 15% fault rate one object can draw transient faults on several deliveries in a row; the
  // redrive limit is set so that only a fault that never clears would dead-letter it.
  const config = {
    dataMappers: [{ id: 'people', location: { glue: { database: 'lake', table: 'people' } }, columns: ['id'], partitionKeys: ['region'], deleteOldVersions: true }],
    settings: { maxReceiveCount: MAX_RECEIVE_COUNT, visibilityTimeoutSeconds: 30, fleetMaxTasks: 1, forgetConcurrency: 2, queryConcurrency: 2, queryRetries: 3 },
  };
  return provisionLetheAws(moto, s3, { stateBucket: STATE, queueName: 'lethe-faults', maxReceiveCount: MAX_RECEIVE_COUNT, config, work });
}

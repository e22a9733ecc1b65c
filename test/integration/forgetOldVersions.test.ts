import { SharedMatchTables } from '../../shared/forget/matchSession';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { AwsPorts, createAwsPorts } from '../../shared/adapters/aws/createAwsPorts';
import { readStoredConfig } from '../../shared/runtime/readStoredConfig';
import { InProcessFleet } from '../../shared/adapters/local/InProcessFleet';
import { closeDuckDb, openDuckDb } from '../../shared/duckdb/openDuckDb';
import { runForgetWorker } from '../../shared/forget/runForgetWorker';
import { runJob } from '../../shared/job/runJob';
import { startJob } from '../../shared/job/startJob';
import { Job } from '../../shared/model/job';
import { ObjectResult } from '../../shared/model/objectResult';
import { TransientError } from '../../shared/model/errors';
import { ObjectStore } from '../../shared/ports/ObjectStore';
import { enqueueMatches } from '../../shared/queue/deletionQueue';
import { listObjectResults } from '../../shared/records/objectResults';
import { AthenaDuckDbProxy, startAthenaDuckDbProxy } from '../support/athenaDuckDbProxy';
import { createGlueParquetTable } from '../support/createGlueParquetTable';
import { TEST_HMAC_KEY_HEX, provisionLetheAws } from '../support/letheAwsStack';
import { MotoServer, startMotoServer } from '../support/motoServer';
import { withTestDuckDb } from '../support/localLake';
import { peopleParquet } from '../support/peopleParquet';

const LAKE = 'lake-versions';
const STATE = 'lethe-state-versions';
/** Each case erases its own person from its own object; every object has an older version holding that person too. */
const OBJECTS: Record<string, number[]> = {
  'people/part-0.parquet': [1, 2, 3, 4],
  'people/part-1.parquet': [5, 6, 7, 8],
  'people/part-2.parquet': [9, 10, 11, 12],
};

/** S3ObjectStore on moto, with faults the test arms: each armed fault fires once. */
interface Faults {
  /** deleteOtherVersions fails with a 503-like TransientError before deleting anything. */
  deleteOtherVersions: number;
  /** replace succeeds on S3, then the worker "dies": no result is recorded for that attempt. */
  dieAfterReplace: number;
}

function faultyLake(lake: ObjectStore, faults: Faults): ObjectStore {
  return {
    list: (prefix) => lake.list(prefix),
    head: (uri) => lake.head(uri),
    download: (at, toFile) => lake.download(at, toFile),
    replace: async (at, fromFile, props) => {
      const written = await lake.replace(at, fromFile, props);
      if (faults.dieAfterReplace > 0) {
        faults.dieAfterReplace--;
        throw new TransientError(`injected: the worker stopped right after replacing ${at.uri}`);
      }
      return written;
    },
    checkVersionsDeletable: (uri) => lake.checkVersionsDeletable(uri),
    deleteOtherVersions: async (keep) => {
      if (faults.deleteOtherVersions > 0) {
        faults.deleteOtherVersions--;
        throw new TransientError(`injected: DeleteObjects ${keep.uri}: 503 SlowDown`);
      }
      return lake.deleteOtherVersions(keep);
    },
    deleteAllVersions: (uri) => lake.deleteAllVersions(uri),
  };
}

describe('old versions of a forgotten object on moto_server', function () {
  this.timeout(180_000);
  let moto: MotoServer;
  let proxy: AthenaDuckDbProxy;
  let s3: S3Client;
  let work: string;
  let env: NodeJS.ProcessEnv;
  let onAnswer: ((answer: { objects: string[] }) => Promise<void>) | undefined;
  const faults: Faults = { deleteOtherVersions: 0, dieAfterReplace: 0 };

  before(async () => {
    moto = await startMotoServer();
    s3 = new S3Client({ forcePathStyle: true });
    work = await mkdtemp(path.join(tmpdir(), 'lethe-versions-'));
    proxy = await startAthenaDuckDbProxy({
      moto,
      s3,
      stateBucket: STATE,
      tables: [{ database: 'lake', table: 'people', location: `s3://${LAKE}/people/` }],
      onAnswer: async (answer) => onAnswer?.(answer),
    });
    env = await provision(moto, s3, work);
    // The SDK's Athena client reads its endpoint from the process environment.
    process.env.AWS_ENDPOINT_URL_ATHENA = proxy.endpoint;
  });

  after(async () => {
    delete process.env.AWS_ENDPOINT_URL_ATHENA;
    await proxy?.stop();
    s3?.destroy();
    await moto?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** A whole job in this process: Glue, Athena (DuckDB behind the proxy), SQS and the state bucket on moto; workers as in-process loops over the faulty lake. */
  async function runJobOnMoto(matches: string[]): Promise<{ job: Job; results: ObjectResult[] }> {
    const ports: AwsPorts = createAwsPorts(env);
    const config = await readStoredConfig(ports.state, ports.config.configKey);
    const duckdb = await openDuckDb({ memoryLimit: '256MB', threads: 1, tempDirectory: path.join(work, 'duckdb') });
    const forgetPorts = { ...ports, lake: faultyLake(ports.lake, faults), tempDirectory: work };
    const fleet = new InProcessFleet((signal) =>
      runForgetWorker(forgetPorts, {
        concurrency: 1,
        visibilityTimeoutSeconds: 30,
        maxReceiveCount: config.settings.maxReceiveCount,
        matchTables: new SharedMatchTables(ports.state, () => duckdb.instance.connect()),
        signal,
        retryDelaySeconds: () => 0,
      }),
    );
    try {
      await enqueueMatches(ports.state, matches.map((value) => ({ match: { kind: 'simple' as const, value } })));
      const started = await startJob(ports.state, config, 'test');
      const job = await runJob({ ...ports, fleet }, started.id, { hmacKey: Buffer.from(TEST_HMAC_KEY_HEX, 'hex'), pollIntervalMs: 100 });
      return { job, results: await listObjectResults(ports.state, job.id) };
    } finally {
      await fleet.scale(0);
      closeDuckDb(duckdb);
    }
  }

  it('a failed version cleanup after the replace is finished by the retry: no older version remains, COMPLETED', async () => {
    const key = 'people/part-0.parquet';
    const before = await readRows(s3, work, key);
    faults.deleteOtherVersions = 1;
    const { job, results } = await runJobOnMoto(['3']);
    assert.equal(faults.deleteOtherVersions, 0, 'the fault fired');
    assert.equal(job.status, 'COMPLETED', job.failure);
    assert.deepEqual(await versionsOf(s3, key), { versions: 1, markers: 0 }, 'only the rewritten version is left');
    assert.deepEqual(await readRows(s3, work, key), before.filter((id) => id !== 3));
    assert.deepEqual(
      results.map((r) => [r.object, r.outcome, r.rowsDeleted, r.versionsDeleted, r.attempts]),
      [[`s3://${LAKE}/${key}`, 'updated', 1, 2, 2]],
      'the retry reports the rows the first attempt deleted and the versions it removed',
    );
    assert.equal(job.counters.rowsDeleted, 1);
    assert.equal(job.counters.versionsDeleted, 2);
  });

  it('a worker that dies right after the replace: the redelivery recognises its rewrite, counts the rows it deleted and still removes its older versions', async () => {
    const key = 'people/part-1.parquet';
    const before = await readRows(s3, work, key);
    faults.dieAfterReplace = 1;
    const { job, results } = await runJobOnMoto(['7']);
    assert.equal(faults.dieAfterReplace, 0, 'the fault fired');
    assert.equal(job.status, 'COMPLETED', job.failure);
    assert.deepEqual(await versionsOf(s3, key), { versions: 1, markers: 0 });
    assert.deepEqual(await readRows(s3, work, key), before.filter((id) => id !== 7));
    assert.deepEqual(
      results.map((r) => [r.object, r.outcome, r.rowsDeleted, r.versionsDeleted]),
      [[`s3://${LAKE}/${key}`, 'updated', 1, 2]],
    );
    assert.equal(job.counters.rowsDeleted, 1);
    assert.equal(job.counters.objectsUpdated, 1);
  });

  it('an object deleted between find and forget: recorded missing, and its noncurrent versions are purged', async () => {
    const key = 'people/part-2.parquet';
    onAnswer = async ({ objects }) => {
      if (!objects.includes(`s3://${LAKE}/${key}`)) return;
      onAnswer = undefined;
      await s3.send(new DeleteObjectCommand({ Bucket: LAKE, Key: key }));
    };
    const { job, results } = await runJobOnMoto(['11']);
    assert.equal(onAnswer, undefined, 'the object was deleted after the find found it');
    assert.equal(job.status, 'COMPLETED', job.failure);
    assert.deepEqual(await versionsOf(s3, key), { versions: 0, markers: 0 }, 'no version and no delete marker left');
    assert.deepEqual(
      results.map((r) => [r.object, r.outcome, r.versionsDeleted]),
      [[`s3://${LAKE}/${key}`, 'missing', 3]],
      'two versions and the delete marker',
    );
  });
});

async function versionsOf(s3: S3Client, key: string): Promise<{ versions: number; markers: number }> {
  const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: LAKE, Prefix: key }));
  return {
    versions: (listed.Versions ?? []).filter((v) => v.Key === key).length,
    markers: (listed.DeleteMarkers ?? []).filter((m) => m.Key === key).length,
  };
}

/** The ids in the current version of an object, read by a DuckDB of the test's own. */
async function readRows(s3: S3Client, work: string, key: string): Promise<number[]> {
  const file = path.join(work, `read-${key.replace(/\//g, '_')}`);
  await writeFile(file, await (await s3.send(new GetObjectCommand({ Bucket: LAKE, Key: key }))).Body!.transformToByteArray());
  return withTestDuckDb(async (connection) => {
    const result = await connection.runAndReadAll(`SELECT id FROM read_parquet('${file}') ORDER BY id`);
    return result.getRows().map((row) => Number(row[0]));
  });
}

/** The buckets, the lake (each object over an older version holding the same people), its Glue table, and lethe's stack. */
async function provision(moto: MotoServer, s3: S3Client, work: string): Promise<NodeJS.ProcessEnv> {
  for (const bucket of [LAKE, STATE]) {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  }
  for (const [key, ids] of Object.entries(OBJECTS)) {
    const body = await peopleParquet(work, key, ids);
    // The older version holds the same people: exactly what a cleanup that never ran would leave behind.
    await s3.send(new PutObjectCommand({ Bucket: LAKE, Key: key, Body: body, Metadata: { writer: 'first' } }));
    await s3.send(new PutObjectCommand({ Bucket: LAKE, Key: key, Body: body, Metadata: { writer: 'second' } }));
  }
  await createGlueParquetTable({
    database: 'lake',
    name: 'people',
    location: `s3://${LAKE}/people/`,
    columns: [
      { Name: 'id', Type: 'bigint' },
      { Name: 'email', Type: 'string' },
    ],
  });
  const config = {
    dataMappers: [
      {
        id: 'people',
        location: { glue: { database: 'lake', table: 'people' } },
        columns: ['id'],
        deleteOldVersions: true,
        ignoreObjectNotFound: true,
      },
    ],
    settings: { maxReceiveCount: 3, visibilityTimeoutSeconds: 30, fleetMaxTasks: 1, forgetConcurrency: 1, queryConcurrency: 1 },
  };
  return provisionLetheAws(moto, s3, { stateBucket: STATE, queueName: 'lethe-versions', maxReceiveCount: 3, config, work });
}

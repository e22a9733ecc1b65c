import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateDatabaseCommand, CreateTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { CreateBucketCommand, GetObjectCommand, ListObjectVersionsCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createAwsPorts } from '../../shared/adapters/aws/createAwsPorts';
import { InProcessFleet } from '../../shared/adapters/local/InProcessFleet';
import { closeDuckDb, openDuckDb } from '../../shared/duckdb/openDuckDb';
import { SharedMatchTables } from '../../shared/forget/matchSession';
import { runForgetWorker } from '../../shared/forget/runForgetWorker';
import { runJob } from '../../shared/job/runJob';
import { startJob } from '../../shared/job/startJob';
import { Job } from '../../shared/model/job';
import { enqueueMatches } from '../../shared/queue/deletionQueue';
import { readStoredConfig } from '../../shared/runtime/readStoredConfig';
import { AthenaDuckDbProxy, startAthenaDuckDbProxy } from '../support/athenaDuckDbProxy';
import { PARQUET_STORAGE } from '../support/createGlueParquetTable';
import { TEST_HMAC_KEY_HEX, provisionLetheAws } from '../support/letheAwsStack';
import { withTestDuckDb } from '../support/localLake';
import { MotoServer, startMotoServer } from '../support/motoServer';
import { peopleParquet } from '../support/peopleParquet';

const LAKE = 'lake-projected';
const STATE = 'lethe-state-projected';
/** The table's template: region (enum eu, us), then dt (a date, yyyy/MM/dd, 2024-03-01 to 2024-03-03). */
const TEMPLATE = `s3://${LAKE}/events/data/\${region}/\${dt}/`;
const OBJECTS: Record<string, number[]> = {
  'events/data/eu/2024/03/01/part-0.parquet': [1, 17, 2],
  'events/data/us/2024/03/02/part-0.parquet': [3, 4],
  'events/data/us/2024/03/03/part-0.parquet': [17, 5],
  'events/data/eu/2024/03/03/part-0.parquet': [6, 7],
};

/**
 * Athena's reading of the projection, written out by hand for the proxy: which partition an object
 * lies in, and only for the two regions and the three days the table projects.
 */
function partitionValues(uri: string): Record<string, string> | undefined {
  const match = new RegExp(`^s3://${LAKE}/events/data/(eu|us)/(2024/03/0[123])/[^_.][^/]*$`).exec(uri);
  return match ? { region: match[1]!, dt: match[2]! } : undefined;
}

/**
 * An existing Glue table with partition projection (no partition registered in Glue), erased end to
 * end: Glue and S3 and SQS on moto, Athena's statements answered by DuckDB behind a proxy.
 */
describe('a job over a partition-projected Glue table on moto_server', function () {
  this.timeout(180_000);
  let moto: MotoServer;
  let proxy: AthenaDuckDbProxy;
  let s3: S3Client;
  let work: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    moto = await startMotoServer();
    s3 = new S3Client({ forcePathStyle: true });
    work = await mkdtemp(path.join(tmpdir(), 'lethe-projected-'));
    proxy = await startAthenaDuckDbProxy({ moto, s3, stateBucket: STATE, tables: [{ database: 'lake', table: 'events', location: `s3://${LAKE}/events/`, partitionValues }] });
    env = await provision(moto, s3, work);
    process.env.AWS_ENDPOINT_URL_ATHENA = proxy.endpoint;
  });

  after(async () => {
    delete process.env.AWS_ENDPOINT_URL_ATHENA;
    await proxy?.stop();
    s3?.destroy();
    await moto?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function runJobOnMoto(match: string): Promise<Job> {
    const ports = createAwsPorts(env);
    const config = await readStoredConfig(ports.state, ports.config.configKey);
    const duckdb = await openDuckDb({ memoryLimit: '256MB', threads: 1, tempDirectory: path.join(work, 'duckdb') });
    const fleet = new InProcessFleet((signal) =>
      runForgetWorker(
        { ...ports, tempDirectory: work },
        { concurrency: 1, visibilityTimeoutSeconds: 30, maxReceiveCount: 3, matchTables: new SharedMatchTables(ports.state, () => duckdb.instance.connect()), signal, retryDelaySeconds: () => 0 },
      ),
    );
    try {
      await enqueueMatches(ports.state, [{ match: { kind: 'simple', value: match } }]);
      const started = await startJob(ports.state, config, 'test');
      return await runJob({ ...ports, fleet }, started.id, { hmacKey: Buffer.from(TEST_HMAC_KEY_HEX, 'hex'), pollIntervalMs: 100 });
    } finally {
      await fleet.scale(0);
      closeDuckDb(duckdb);
    }
  }

  it('finds through the projection, one query per projected day, and erases the rows: COMPLETED', async () => {
    const job = await runJobOnMoto('17');
    assert.equal(job.status, 'COMPLETED', job.failure);
    assert.equal(job.counters.objectsFound, 2);
    assert.equal(job.counters.rowsDeleted, 2);
    for (const [key, ids] of Object.entries(OBJECTS)) {
      assert.deepEqual(await readIds(s3, work, key), ids.filter((id) => id !== 17), `${key}: 17 gone, every other row kept`);
      // A rewritten object keeps only its new version; the others are not touched at all.
      assert.equal(await versionCount(s3, key), ids.includes(17) ? 1 : 2, `${key}: versions`);
    }
    // Find and verify each ran one query per projected day, filtering on it; Glue lists no partition.
    const days = proxy.answered.map(({ sql }) => /t\."dt" = '([^']+)'/.exec(sql)?.[1]);
    assert.deepEqual(days, ['2024/03/01', '2024/03/02', '2024/03/03', '2024/03/01', '2024/03/02', '2024/03/03']);
    assert.deepEqual(proxy.answered.slice(0, 3).flatMap((a) => a.objects).sort(), [`s3://${LAKE}/events/data/eu/2024/03/01/part-0.parquet`, `s3://${LAKE}/events/data/us/2024/03/03/part-0.parquet`]);
  });

  it('an object on a day past the projected range fails the coverage proof naming it, the lake unchanged', async () => {
    const outside = 'events/data/eu/2024/03/04/part-0.parquet';
    await s3.send(new PutObjectCommand({ Bucket: LAKE, Key: outside, Body: await peopleParquet(work, outside, [17, 8]) }));
    const answeredBefore = proxy.answered.length;
    const job = await runJobOnMoto('8');
    assert.equal(job.status, 'FIND_FAILED');
    assert.match(job.failure ?? '', new RegExp(`1 of 6 objects under s3://${LAKE}/events/data/ lie in no partition the catalog projects.*e\\.g\\. s3://${LAKE}/${outside.replace(/\./g, '\\.')}`));
    assert.equal(proxy.answered.length, answeredBefore, 'no query ran');
    assert.deepEqual(await readIds(s3, work, outside), [8, 17]);
    assert.deepEqual(await readIds(s3, work, 'events/data/eu/2024/03/03/part-0.parquet'), [6, 7]);
  });
});

async function readIds(s3: S3Client, work: string, key: string): Promise<number[]> {
  const file = path.join(work, `read-${key.replace(/\//g, '_')}`);
  await writeFile(file, await (await s3.send(new GetObjectCommand({ Bucket: LAKE, Key: key }))).Body!.transformToByteArray());
  return withTestDuckDb(async (connection) => (await connection.runAndReadAll(`SELECT id FROM read_parquet('${file}') ORDER BY id`)).getRows().map((row) => Number(row[0])));
}

async function versionCount(s3: S3Client, key: string): Promise<number> {
  const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: LAKE, Prefix: key }));
  return (listed.Versions ?? []).filter((v) => v.Key === key).length;
}

/** The lake (each object over an older version), the projected table in Glue, a _SUCCESS marker, and lethe's stack. */
async function provision(moto: MotoServer, s3: S3Client, work: string): Promise<NodeJS.ProcessEnv> {
  for (const bucket of [LAKE, STATE]) {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  }
  for (const [key, ids] of Object.entries(OBJECTS)) {
    const body = await peopleParquet(work, key, ids);
    await s3.send(new PutObjectCommand({ Bucket: LAKE, Key: key, Body: body }));
    await s3.send(new PutObjectCommand({ Bucket: LAKE, Key: key, Body: body }));
  }
  await s3.send(new PutObjectCommand({ Bucket: LAKE, Key: 'events/data/eu/2024/03/01/_SUCCESS', Body: '' }));
  const glue = new GlueClient({});
  try {
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'lake' } }));
    await glue.send(
      new CreateTableCommand({
        DatabaseName: 'lake',
        TableInput: {
          Name: 'events',
          Parameters: {
            'projection.enabled': 'true',
            'projection.region.type': 'enum',
            'projection.region.values': 'eu,us',
            'projection.dt.type': 'date',
            'projection.dt.range': '2024/03/01,2024/03/03',
            'projection.dt.format': 'yyyy/MM/dd',
            'storage.location.template': TEMPLATE,
          },
          PartitionKeys: [
            { Name: 'region', Type: 'string' },
            { Name: 'dt', Type: 'string' },
          ],
          StorageDescriptor: {
            Location: `s3://${LAKE}/events/`,
            Columns: [
              { Name: 'id', Type: 'bigint' },
              { Name: 'email', Type: 'string' },
            ],
            ...PARQUET_STORAGE,
          },
        },
      }),
    );
  } finally {
    glue.destroy();
  }
  const config = {
    dataMappers: [{ id: 'events', location: { glue: { database: 'lake', table: 'events' } }, columns: ['id'], partitionKeys: ['dt'], deleteOldVersions: true }],
    settings: { maxReceiveCount: 3, visibilityTimeoutSeconds: 30, fleetMaxTasks: 1, forgetConcurrency: 1, queryConcurrency: 1 },
  };
  return provisionLetheAws(moto, s3, { stateBucket: STATE, queueName: 'lethe-projected', maxReceiveCount: 3, config, work });
}

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { S3ObjectStore } from '../../shared/adapters/aws/S3ObjectStore';
import { DirectoryStateStore } from '../../shared/adapters/local/DirectoryStateStore';
import { closeDuckDb, openDuckDb } from '../../shared/duckdb/openDuckDb';
import { loadMatchTables } from '../../shared/duckdb/matchTables';
import { forgetObject } from '../../shared/forget/forgetObject';
import { DataMapper } from '../../shared/model/dataMapper';
import { parseJobId, parseObjectUri } from '../../shared/model/identifiers';
import { MatchColumnSet } from '../../shared/ports/QueryExecutor';
import { MotoServer, startMotoServer } from '../support/motoServer';
import { readWithHyparquet } from '../support/rewriteFixtures';

const BUCKET = 'lake-splice';
const KEY = 'customers/part-0.parquet';
/** moto reads a whole object for each ranged GET, so fewer, larger groups keep this test's time down. */
const GROUP_ROWS = 8192;
const GROUPS = 24;
const MIB = 1024 * 1024;
const JOB = parseJobId('20261202T090000Z-splice');

const ID_SET: MatchColumnSet = {
  key: 'customer_id',
  columns: [{ configured: 'customer_id', path: ['customer_id'], type: { kind: 'int', bits: 64, signed: true } }],
};

const MAPPER: DataMapper = {
  id: 'customers',
  location: { kind: 'prefix', uri: `s3://${BUCKET}/customers/` },
  format: 'parquet',
  columns: ['customer_id'],
  partitionKeys: [],
  deleteOldVersions: false,
  ignoreObjectNotFound: false,
};

/** Counts what lethe's S3 client downloads: the Content-Length of every GetObject answer, and the calls it makes. */
function countingClient(): { client: S3Client; downloaded: () => number; commands: string[] } {
  const client = new S3Client({ forcePathStyle: true });
  let downloaded = 0;
  const commands: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      commands.push(String(context.commandName));
      if (context.commandName === 'GetObjectCommand') {
        const response = result.response as { headers?: Record<string, string> };
        downloaded += Number(response.headers?.['content-length'] ?? 0);
      }
      return result;
    },
    { step: 'deserialize', name: 'countDownloadedBytes' },
  );
  return { client, downloaded: () => downloaded, commands };
}

describe('a one-match object of many row groups on S3 (moto_server)', function () {
  this.timeout(300_000);
  let moto: MotoServer;
  let s3: S3Client;
  let work: string;

  before(async () => {
    moto = await startMotoServer();
    s3 = new S3Client({ forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
    work = await mkdtemp(path.join(tmpdir(), 'lethe-splice-s3-'));
  });

  after(async () => {
    s3?.destroy();
    await moto?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('downloads under a tenth of the object, copies the rest server-side, and leaves every other row as it was', async () => {
    // 24 row groups of about 4 MB: a customer id (delta-encoded, as Parquet v2 writers do) and 512 incompressible characters.
    const sourceFile = path.join(work, 'source.parquet');
    const duckdb = await openDuckDb({ memoryLimit: '512MB', threads: 1, tempDirectory: path.join(work, 'duckdb') });
    try {
      await duckdb.connection.run(`COPY (SELECT i::BIGINT AS customer_id,
          list_aggregate(list_transform(range(16), j -> md5(i::VARCHAR || '-' || j::VARCHAR)), 'string_agg', '') AS payload
        FROM range(${GROUPS * GROUP_ROWS}) r(i)) TO '${sourceFile}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE ${GROUP_ROWS}, PARQUET_VERSION v2)`);
      const source = await readFile(sourceFile);
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: source }));
      const rowsBefore = (await readWithHyparquet(sourceFile)).rows;
      assert.equal(rowsBefore.length, GROUPS * GROUP_ROWS);

      const target = 11 * GROUP_ROWS + 100;
      await loadMatchTables(duckdb.connection, [ID_SET], [{ match_columns: ID_SET.key, values: [String(target)] }]);
      const counting = countingClient();
      const state = path.join(work, 'state');
      const result = await forgetObject(
        { lake: new S3ObjectStore({ client: counting.client }), state: new DirectoryStateStore(state), tempDirectory: work },
        { jobId: JOB, object: parseObjectUri(`s3://${BUCKET}/${KEY}`), mapperIds: [MAPPER.id] },
        [MAPPER],
        { jobId: JOB, mapperIds: [MAPPER.id], matchSets: [ID_SET], connection: duckdb.connection },
        1,
      );
      counting.client.destroy();

      assert.equal(result.outcome, 'updated', result.error);
      assert.equal(result.rowsDeleted, 1);
      assert.match(result.physicalChanges?.[0] ?? '', /^row-group splice: row group 11 of 24 re-encoded by DuckDB, the other 23 copied byte for byte/);
      const share = counting.downloaded() / source.length;
      assert.ok(share < 0.1, `downloaded ${counting.downloaded()} bytes of ${source.length} (${(share * 100).toFixed(1)}%)`);
      assert.ok(counting.commands.includes('UploadPartCopyCommand'), `the kept row groups are copied server-side (calls: ${[...new Set(counting.commands)].join(', ')})`);

      const after = path.join(work, 'after.parquet');
      const written = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: KEY }));
      await writeFile(after, await written.Body!.transformToByteArray());
      assert.equal(written.VersionId, result.output?.versionId);
      const rowsAfter = (await readWithHyparquet(after)).rows;
      assert.equal(rowsAfter.length, rowsBefore.length - 1);
      assert.deepStrictEqual(rowsAfter, rowsBefore.filter((row) => row.customer_id !== BigInt(target)));
      process.stdout.write(`      downloaded ${(counting.downloaded() / MIB).toFixed(1)} MiB of a ${(source.length / MIB).toFixed(1)} MiB object (${(share * 100).toFixed(1)}%)\n`);
    } finally {
      closeDuckDb(duckdb);
    }
  });
});

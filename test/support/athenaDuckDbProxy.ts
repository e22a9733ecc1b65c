import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { IncomingMessage, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { quoteIdentifier, quoteLiteral } from '../../shared/duckdb/sqlText';
import { MotoServer } from './motoServer';

/** A lake table as Athena sees it through Glue: Parquet objects under an s3:// prefix, hive partitions. */
export interface ProxiedTable {
  database: string;
  table: string;
  /** s3://bucket/prefix/ */
  location: string;
  /**
   * For a table with partition projection: the partition values Athena gives an object, by the test's
   * own reading of the template and ranges, or undefined for an object no projected partition holds
   * (Athena never reads it). Without it, partitions are hive folders.
   */
  partitionValues?: (uri: string) => Record<string, string> | undefined;
}

export interface AthenaDuckDbProxy {
  /** Point the SDK's Athena client here: AWS_ENDPOINT_URL_ATHENA. */
  endpoint: string;
  /** Every statement answered, with the objects DuckDB found. */
  answered: Array<{ sql: string; objects: string[] }>;
  stop(): Promise<void>;
}

/**
 * moto accepts Athena queries but does not run them. This proxy sits between lethe and moto: on
 * StartQueryExecution it runs the very statement lethe sent in DuckDB, over the objects as they are
 * in moto's S3 at that moment and over the job manifests in the state bucket (the views stand in
 * for the Glue tables), queues DuckDB's answer on moto, then forwards the call. Objects in Glacier
 * storage classes are left out, as Athena ignores them. Starts are serialized so that each queued
 * answer is the one moto hands to that query.
 */
export async function startAthenaDuckDbProxy(options: {
  moto: MotoServer;
  s3: S3Client;
  stateBucket: string;
  tables: ProxiedTable[];
  /** Called with each answer before the query starts on moto: a test can change the lake there. */
  onAnswer?: (answer: { sql: string; objects: string[] }) => Promise<void>;
}): Promise<AthenaDuckDbProxy> {
  const answered: AthenaDuckDbProxy['answered'] = [];
  let chain: Promise<unknown> = Promise.resolve();
  const server = createServer((request, response) => {
    void readBody(request).then(async (body) => {
      try {
        if (request.headers['x-amz-target'] === 'AmazonAthena.StartQueryExecution') {
          const run = chain.then(async () => {
            const sql = String((JSON.parse(body.toString('utf8')) as { QueryString?: unknown }).QueryString ?? '');
            const objects = await answerWithDuckDb(sql, options);
            answered.push({ sql, objects });
            await options.onAnswer?.({ sql, objects });
            await options.moto.queueAthenaResults([{ columns: ['path'], rows: [['path'], ...objects.map((o) => [o])] }]);
            await forward(options.moto.endpoint, request, body, response);
          });
          chain = run.catch(() => undefined);
          await run;
        } else {
          await forward(options.moto.endpoint, request, body, response);
        }
      } catch (error) {
        response.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify({ __type: 'InternalServerException', message: `athena proxy: ${error instanceof Error ? error.message : String(error)}` }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    answered,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function answerWithDuckDb(sql: string, options: { s3: S3Client; stateBucket: string; tables: ProxiedTable[] }): Promise<string[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lethe-athena-proxy-'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const schemas = new Set<string>();
    const ensureSchema = async (name: string) => {
      if (!schemas.has(name)) await connection.run(`CREATE SCHEMA ${quoteIdentifier(name)}`);
      schemas.add(name);
    };
    for (const table of options.tables) {
      const { bucket, prefix } = splitS3(table.location);
      const files: Array<{ file: string; values?: Record<string, string> }> = [];
      for (const object of await listObjects(options.s3, bucket, prefix)) {
        if (object.storageClass === 'GLACIER' || object.storageClass === 'DEEP_ARCHIVE') continue;
        const values = table.partitionValues?.(`s3://${bucket}/${object.key}`);
        if (table.partitionValues && !values) continue;
        files.push({ file: await download(options.s3, bucket, object.key, dir), ...(values ? { values } : {}) });
      }
      await ensureSchema(table.database);
      const name = `${quoteIdentifier(table.database)}.${quoteIdentifier(table.table)}`;
      const pathColumn = `'s3://' || substr(filename, ${dir.length + 2}) AS "$path"`;
      const projected = (file: string, values: Record<string, string>) =>
        `SELECT *, ${Object.entries(values).map(([key, value]) => `${quoteLiteral(value)} AS ${quoteIdentifier(key)}`).join(', ')}, ${pathColumn} FROM read_parquet(${quoteLiteral(file)}, filename = true)`;
      await connection.run(
        files.length === 0
          ? `CREATE VIEW ${name} AS SELECT NULL::VARCHAR AS "$path" WHERE false`
          : table.partitionValues
            ? `CREATE VIEW ${name} AS ${files.map((f) => projected(f.file, f.values!)).join(' UNION ALL BY NAME ')}`
            : `CREATE VIEW ${name} AS SELECT *, ${pathColumn} FROM read_parquet([${files.map((f) => quoteLiteral(f.file)).join(', ')}], filename = true, hive_partitioning = true, hive_types_autocast = false)`,
      );
    }
    const manifests: string[] = [];
    for (const object of await listObjects(options.s3, options.stateBucket, 'jobs/')) {
      // Like Athena's table over the mapper's folder: every part the find wrote there.
      const match = /^jobs\/([^/]+)\/manifests\/([^/]+)\/[^/]+$/.exec(object.key);
      if (!match) continue;
      const file = await download(options.s3, options.stateBucket, object.key, dir);
      manifests.push(
        `SELECT ${quoteLiteral(match[1]!)} AS job_id, ${quoteLiteral(match[2]!)} AS mapper_id, match_columns, "values" FROM read_json(${quoteLiteral(file)}, format = 'newline_delimited', columns = {match_columns: 'VARCHAR', "values": 'VARCHAR[]'})`,
      );
    }
    await ensureSchema('lethe');
    await connection.run(
      `CREATE VIEW lethe.manifests AS ${manifests.length > 0 ? manifests.join(' UNION ALL ') : `SELECT NULL::VARCHAR AS job_id, NULL::VARCHAR AS mapper_id, NULL::VARCHAR AS match_columns, NULL::VARCHAR[] AS "values" WHERE false`}`,
    );
    const result = await connection.runAndReadAll(sql);
    return result.getRows().map((row) => String(row[0])).sort();
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
}

function splitS3(uri: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri);
  if (!match) throw new Error(`not an s3:// location: ${uri}`);
  return { bucket: match[1]!, prefix: match[2]! };
}

async function listObjects(s3: S3Client, bucket: string, prefix: string): Promise<Array<{ key: string; storageClass?: string }>> {
  const objects: Array<{ key: string; storageClass?: string }> = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const item of page.Contents ?? []) if (item.Key) objects.push({ key: item.Key, ...(item.StorageClass ? { storageClass: item.StorageClass } : {}) });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
}

async function download(s3: S3Client, bucket: string, key: string, dir: string): Promise<string> {
  const file = path.join(dir, bucket, key);
  await mkdir(path.dirname(file), { recursive: true });
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  await writeFile(file, await response.Body!.transformToByteArray());
  return file;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

async function forward(endpoint: string, request: IncomingMessage, body: Buffer, response: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || ['host', 'content-length', 'connection'].includes(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const upstream = await fetch(`${endpoint}${request.url ?? '/'}`, { method: request.method ?? 'POST', headers, ...(body.length > 0 ? { body: new Uint8Array(body) } : {}) });
  const payload = Buffer.from(await upstream.arrayBuffer());
  const out: Record<string, string> = {};
  upstream.headers.forEach((value, name) => {
    if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(name)) out[name] = value;
  });
  response.writeHead(upstream.status, { ...out, 'content-length': String(payload.length) });
  response.end(payload);
}

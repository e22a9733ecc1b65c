import { DuckDBInstance } from '@duckdb/node-api';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createConsoleBackend } from '../../console/createConsoleBackend';
import { ConsoleServer, startConsoleServer } from '../../console/server';
import { quoteLiteral } from '../../shared/duckdb/sqlText';
import { CliContext } from '../../tasks/cliContext';
import { buildDemoLake, demoConfigYaml } from '../../tasks/demo/buildDemoLake';

export interface ConsoleFixture {
  dir: string;
  lakeDir: string;
  stateDir: string;
  context: CliContext;
  server: ConsoleServer;
  /** Lines the server logged (refusals, job ends): tests check they hold no match ID. */
  log: string[];
  close(): Promise<void>;
}

/**
 * A console on 127.0.0.1, port 0, over a fresh demo lake in a temp folder. Customer n has email
 * customer<n>@example.org; customer 1000 is Ann Lee (so `rows` of at least 1000 has her).
 */
export async function startConsoleFixture(options: { rows?: number; requireApproval?: boolean; nestedIn?: string } = {}): Promise<ConsoleFixture> {
  const root = await mkdtemp(path.join(tmpdir(), 'lethe-console-'));
  // nestedIn: a folder path inside the temp folder for the lake and lethe.yaml (long object paths).
  const dir = path.join(root, options.nestedIn ?? '');
  await mkdir(dir, { recursive: true });
  const lakeDir = path.join(dir, 'lake');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await buildDemoLake(connection, lakeDir, options.rows ?? 1200);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  const yaml = demoConfigYaml().replace('settings:\n', `settings:\n  requireApproval: ${options.requireApproval ?? true}\n`);
  await writeFile(path.join(dir, 'lethe.yaml'), yaml);
  const context = new CliContext(path.join(dir, 'lethe.yaml'), false);
  const log: string[] = [];
  let server: ConsoleServer | undefined;
  try {
    server = await startConsoleServer({ backend: createConsoleBackend(await context.runtime()), port: 0, log: (line) => log.push(line) });
  } catch (error) {
    await context.close();
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  const started = server;
  return {
    dir,
    lakeDir,
    stateDir: path.join(dir, '.lethe'),
    context,
    server: started,
    log,
    close: async () => {
      try {
        await started.close();
      } finally {
        await context.close();
        await rm(root, { recursive: true, force: true });
      }
    },
  };
}

/** Rows in the demo lake that hold customer 17, customer42@example.org, or Ann Lee: what a job must delete. */
export async function countDemoMatches(lakeDir: string): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`
      SELECT (SELECT count(*) FROM read_parquet(${quoteLiteral(path.join(lakeDir, 'customers', '**', '*.parquet'))})
               WHERE customer_id = 17 OR "user".email = 'customer42@example.org' OR (first_name = 'Ann' AND last_name = 'Lee'))
           + (SELECT count(*) FROM read_json(${quoteLiteral(path.join(lakeDir, 'events', '**', '*.jsonl.gz'))})
               WHERE customer_id = 17 OR email = 'customer42@example.org')
           + (SELECT count(*) FROM read_csv(${quoteLiteral(path.join(lakeDir, 'orders', '*.csv'))}) WHERE customer_id = 17) AS n`);
    return Number(reader.getRows()[0]![0]);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request with exactly the headers given (fetch would add or refuse Host and Origin). */
export function rawRequest(origin: string, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<RawResponse> {
  const url = new URL(options.path, origin);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method: options.method ?? 'GET', path: url.pathname + url.search, headers: { host: url.host, ...(options.headers ?? {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A browser-like session: swaps the printed URL's token for the cookie, and reads a form's CSRF token. */
export async function openSession(server: ConsoleServer): Promise<{ cookie: string; csrf: string }> {
  const login = await rawRequest(server.origin, { path: `/?token=${server.accessToken}` });
  const setCookie = login.headers['set-cookie'];
  const cookie = (Array.isArray(setCookie) ? setCookie[0] : setCookie)?.split(';')[0];
  if (login.status !== 303 || !cookie) throw new Error(`token exchange: expected 303 with a cookie, got ${login.status}`);
  const queue = await rawRequest(server.origin, { path: '/queue', headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(queue.body)?.[1];
  if (!csrf) throw new Error('no CSRF token in the queue page');
  return { cookie, csrf };
}

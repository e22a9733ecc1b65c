import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { reportKey } from '../../shared/records/stateKeys';
import { runJob } from '../../shared/job/runJob';
import { startJob } from '../../shared/job/startJob';
import { Job } from '../../shared/model/job';
import { DeletionReport } from '../../shared/report/deletionReport';
import { LoadedConfig } from '../../shared/runtime/loadConfigFile';
import { Runtime } from '../../shared/runtime/Runtime';
import { openLocalRuntime } from '../../shared/runtime/openLocalRuntime';
import { JobId } from '../../shared/model/identifiers';

export type Row = Record<string, unknown>;

/** A DuckDB of the test's own (not lethe's), closed when `use` is done. */
export async function withTestDuckDb<T>(use: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return await use(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * A small lake with every format lethe rewrites: customers (Parquet, partitioned by year, a struct,
 * a decimal, a timestamp), events (gzip JSON Lines, partitioned by day), orders (CSV). Customer n
 * has email customer<n>@example.org; customer 7 is Ann Lee.
 */
export async function buildTestLake(dir: string, settings: Record<string, unknown> = {}): Promise<string> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const lake = path.join(dir, 'lake');
    await mkdir(path.join(lake, 'orders'), { recursive: true });
    await connection.run(`
      CREATE TABLE customers AS SELECT i::BIGINT AS customer_id,
        {'email': 'customer' || i || '@example.org', 'tier': i % 3}::STRUCT(email VARCHAR, tier INTEGER) AS "user",
        CASE WHEN i = 7 THEN 'Ann' ELSE 'F' || i END AS first_name,
        CASE WHEN i = 7 THEN 'Lee' ELSE 'L' || i END AS last_name,
        (i * 1.25)::DECIMAL(10,2) AS balance,
        TIMESTAMP '2024-01-01 00:00:00' + to_seconds(i * 61) AS signed_up,
        CASE WHEN i % 10 = 0 THEN NULL ELSE 'note ' || i END AS note,
        (2023 + i % 2)::VARCHAR AS year
      FROM range(1, 401) r(i)`);
    await connection.run(`COPY customers TO '${path.join(lake, 'customers')}' (FORMAT parquet, PARTITION_BY (year), COMPRESSION zstd)`);
    for (const day of ['2024-03-01', '2024-03-02']) {
      await mkdir(path.join(lake, 'events', `day=${day}`), { recursive: true });
      await connection.run(`COPY (SELECT (i % 50 + 1)::BIGINT AS customer_id, 'customer' || (i % 50 + 1) || '@example.org' AS email, 'e' || i AS action
        FROM range(0, 200) r(i) ORDER BY i) TO '${path.join(lake, 'events', `day=${day}`, 'part-0.jsonl.gz')}' (FORMAT json, COMPRESSION gzip)`);
    }
    await connection.run(`COPY (SELECT i AS order_id, (i % 40 + 1)::BIGINT AS customer_id, 'item, "' || i || '"' AS item FROM range(1, 121) r(i))
      TO '${path.join(lake, 'orders', 'part-0.csv')}' (FORMAT csv, HEADER true)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  const config = {
    stateDir: './state',
    dataMappers: [
      { id: 'customers', location: './lake/customers', format: 'parquet', columns: ['customer_id', 'user.email', 'first_name', 'last_name'], partitionKeys: ['year'] },
      { id: 'events', location: './lake/events', format: 'json', columns: ['customer_id', 'email'], partitionKeys: ['day'] },
      { id: 'orders', location: './lake/orders', format: 'csv', columns: ['customer_id'] },
    ],
    settings: { queryConcurrency: 2, forgetConcurrency: 2, duckdbMemoryLimit: '512MB', ...settings },
  };
  const configPath = path.join(dir, 'lethe.yaml');
  await writeFile(configPath, JSON.stringify(config, null, 2));
  return configPath;
}

export interface TestLake {
  dir: string;
  config: LoadedConfig;
  runtime: Runtime;
  hmacKey: Buffer;
  cleanup(): Promise<void>;
}

export async function openTestLake(settings: Record<string, unknown> = {}): Promise<TestLake> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lethe-test-'));
  return openLocalLake(dir, await buildTestLake(dir, settings));
}

/** lethe's local runtime over the lake and lethe.yaml in `dir`; cleanup closes it and removes `dir`. */
export async function openLocalLake(dir: string, configPath: string): Promise<TestLake> {
  const runtime = await openLocalRuntime(configPath);
  return {
    dir,
    config: runtime.config,
    runtime,
    hmacKey: await runtime.hmacKey(),
    cleanup: async () => {
      await runtime.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Starts a job over the queue and drives it to its end (or to AWAITING_APPROVAL). */
export async function runQueuedJob(lake: TestLake): Promise<Job> {
  const job = await startJob(lake.runtime.ports.state, lake.config, 'test');
  return runJob(lake.runtime.ports, job.id, { hmacKey: lake.hmacKey, pollIntervalMs: 50 });
}

/** The job's report.json as an auditor reads it. */
export async function readJobReport(lake: TestLake, jobId: JobId): Promise<DeletionReport> {
  return JSON.parse(await readFile(lake.runtime.ports.state.describe(reportKey(jobId, 'json')), 'utf8')) as DeletionReport;
}

/**
 * A lake of the test's own making: `write` fills <dir>/lake (with a DuckDB of the test's own for
 * COPY ... TO), then lethe.yaml names `mappers` (locations relative to <dir>).
 */
export async function openLakeWith(
  write: (lake: string, run: (sql: string) => Promise<void>) => Promise<void>,
  mappers: Record<string, unknown>[],
  settings: Record<string, unknown> = {},
): Promise<TestLake> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lethe-test-'));
  const lake = path.join(dir, 'lake');
  await mkdir(lake, { recursive: true });
  await withTestDuckDb((connection) =>
    write(lake, async (sql) => {
      await connection.run(sql);
    }),
  );
  const configPath = path.join(dir, 'lethe.yaml');
  await writeFile(configPath, JSON.stringify({ stateDir: './state', dataMappers: mappers, settings: { queryConcurrency: 2, forgetConcurrency: 2, duckdbMemoryLimit: '512MB', ...settings } }, null, 2));
  return openLocalLake(dir, configPath);
}

/** Every row of a table, read by a DuckDB of the test's own (not lethe's), in a stable order. */
export async function readTable(location: string, format: 'parquet' | 'json' | 'csv'): Promise<Row[]> {
  return withTestDuckDb(async (connection) => {
    const glob = path.join(location, '**', format === 'parquet' ? '*.parquet' : format === 'json' ? '*.jsonl.gz' : '*.csv');
    const reader = format === 'parquet' ? `read_parquet('${glob}', hive_partitioning = true)` : format === 'json' ? `read_json('${glob}', hive_partitioning = true)` : `read_csv('${glob}', header = true)`;
    const result = await connection.runAndReadAll(`SELECT * FROM ${reader}`);
    return result.getRowObjectsJson().map((row) => row as Row).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  });
}

/** sha256 of every file under a folder, by relative path: proves a lake was left untouched. */
export async function hashTree(dir: string): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  const walk = async (relative: string) => {
    for (const entry of await readdir(path.join(dir, relative), { withFileTypes: true })) {
      const key = path.join(relative, entry.name);
      if (entry.isDirectory()) await walk(key);
      else hashes[key] = createHash('sha256').update(await readFile(path.join(dir, key))).digest('hex');
    }
  };
  await walk('');
  return hashes;
}

/** Every file under a folder whose bytes contain `needle`. */
export async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (folder: string) => {
    for (const entry of await readdir(folder, { withFileTypes: true }).catch(() => [])) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if ((await readFile(full)).includes(needle)) found.push(full);
    }
  };
  await walk(dir);
  return found;
}

import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/**
 * One "kill anywhere" trial: a small local lake (Parquet in two partitions, JSON Lines, CSV) and a
 * queue of three people; `lethe job start --wait` is SIGKILLed after a seeded delay, then
 * `lethe job start --wait` runs again (it resumes the orphaned job, or starts one if none was made).
 * The lake is then compared with the fixture's own row lists (what a correct erasure leaves), never
 * with what lethe's reader says.
 */
export interface KillTrialResult {
  /** The job's status when the process died ('none' before any job existed; a terminal status when the kill came too late). */
  killedIn: string;
  /** Empty when every check held. */
  failures: string[];
  /** How long the first run went on after it printed the job id (the span of a whole job when it was not killed). */
  jobMs: number;
  durationMs: number;
}

/** How to run the lethe CLI: [node, ...args] up to the subcommand. */
export type CliCommand = readonly string[];

const ERASED = new Set([3, 18, 33]);
/** Parquet objects by path under lake/people: ids in file order. Person p is in part (p-1) div 10. */
const PEOPLE: Record<string, number[]> = {
  'region=a/part-0.parquet': range(1, 10),
  'region=a/part-1.parquet': range(11, 20),
  'region=b/part-2.parquet': range(21, 30),
  'region=b/part-3.parquet': range(31, 40),
};
/** JSON Lines and CSV lines, each line one person's row. */
const EVENTS = range(1, 40).map((id) => `{"id":${id},"action":"login-${id}"}`);
const ORDERS = ['order_id,customer_id', ...range(1, 40).map((id) => `${id + 1000},${id}`)];

/** Objects holding a match: part-0 (3), part-1 (18), part-3 (33), events, orders. */
const OBJECTS_WITH_MATCHES = 5;
const ROWS_WITH_MATCHES = 3 + 3 + 3;

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Writes the lake and lethe.yaml into `dir`; returns the config path. */
export async function buildKillLake(dir: string): Promise<string> {
  const lake = path.join(dir, 'lake');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    for (const [name, ids] of Object.entries(PEOPLE)) {
      const file = path.join(lake, 'people', name);
      await mkdir(path.dirname(file), { recursive: true });
      await connection.run(
        `COPY (SELECT id::BIGINT AS id, 'person' || id || '@example.org' AS email FROM (VALUES ${ids.map((id) => `(${id})`).join(', ')}) v(id)) TO '${file}' (FORMAT parquet)`,
      );
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  await mkdir(path.join(lake, 'events'), { recursive: true });
  await writeFile(path.join(lake, 'events', 'part-0.jsonl'), `${EVENTS.join('\n')}\n`);
  await mkdir(path.join(lake, 'orders'), { recursive: true });
  await writeFile(path.join(lake, 'orders', 'part-0.csv'), `${ORDERS.join('\n')}\n`);
  const config = {
    stateDir: './state',
    dataMappers: [
      { id: 'people', location: './lake/people', format: 'parquet', columns: ['id'], partitionKeys: ['region'] },
      { id: 'events', location: './lake/events', format: 'json', columns: ['id'] },
      { id: 'orders', location: './lake/orders', format: 'csv', columns: ['customer_id'] },
    ],
    settings: { queryConcurrency: 2, forgetConcurrency: 2, duckdbMemoryLimit: '256MB' },
  };
  const configPath = path.join(dir, 'lethe.yaml');
  await writeFile(configPath, JSON.stringify(config, null, 2));
  return configPath;
}

/**
 * Runs `lethe ARGS`; resolves with its exit code, signal and output. With `killAfterMs`, SIGKILLs it
 * that long after its first line on stdout (`job start` prints the job id once the job exists), so
 * the kills fall in the job's phases rather than in Node's start-up.
 */
export function runLethe(
  cli: CliCommand,
  args: string[],
  killAfterMs?: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string; afterFirstLineMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cli[0]!, [...cli.slice(1), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let firstLineAt: number | undefined;
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (firstLineAt !== undefined) return;
      firstLineAt = Date.now();
      if (killAfterMs !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, output, afterFirstLineMs: firstLineAt === undefined ? 0 : Date.now() - firstLineAt });
    });
  });
}

/** A fresh lake in a temp folder with its queue filled; `use` gets the folder and the config path; the folder is removed after. */
export async function withKillLake<T>(cli: CliCommand, use: (dir: string, configPath: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lethe-kill-'));
  try {
    const configPath = await buildKillLake(dir);
    const enqueued = await runLethe(cli, ['--config', configPath, 'enqueue', ...[...ERASED].map(String)]);
    if (enqueued.code !== 0) throw new Error(`lethe enqueue failed: ${enqueued.output}`);
    return await use(dir, configPath);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The trial itself, on a lake made by withKillLake: kill `killAfterMs` after the job id is printed, resume, check. */
export async function runKillTrial(cli: CliCommand, dir: string, configPath: string, killAfterMs: number): Promise<KillTrialResult> {
  const started = Date.now();
  const failures: string[] = [];
  const first = await runLethe(cli, ['--config', configPath, 'job', 'start', '--wait'], killAfterMs);
  const killedIn = first.signal === 'SIGKILL' ? await activeStatus(dir) : `exited ${first.code}`;
  if (first.signal !== 'SIGKILL' && first.code !== 0) failures.push(`the unkilled run exited ${first.code}: ${first.output}`);
  let jobs = await jobStatuses(dir);
  if (!jobs.some((j) => j.status === 'COMPLETED')) {
    const resumed = await runLethe(cli, ['--config', configPath, 'job', 'start', '--wait']);
    if (resumed.code !== 0) failures.push(`the resumed run exited ${resumed.code}: ${resumed.output.trim()}`);
    jobs = await jobStatuses(dir);
  } else {
    // The kill came after the job ended: the next lethe command an operator runs must clear what it left.
    const listed = await runLethe(cli, ['--config', configPath, 'job', 'list']);
    if (listed.code !== 0) failures.push(`lethe job list exited ${listed.code}: ${listed.output.trim()}`);
  }
  const completed = jobs.filter((j) => j.status === 'COMPLETED');
  if (completed.length !== 1 || jobs.length !== 1) failures.push(`jobs: ${JSON.stringify(jobs.map((j) => j.status))}, expected one COMPLETED`);
  failures.push(...(await checkLake(dir)));
  const counters = completed[0]?.counters;
  // Exact wherever the kill fell: a run killed between a replace and its record leaves the resumed
  // one the digest of its rewrite, so that object is still counted updated with its rows.
  if (counters && (counters.objectsUpdated !== OBJECTS_WITH_MATCHES || counters.objectsUnchanged !== 0 || counters.rowsDeleted !== ROWS_WITH_MATCHES)) {
    failures.push(`counters: ${JSON.stringify(counters)}, expected ${OBJECTS_WITH_MATCHES} objects updated, 0 unchanged, ${ROWS_WITH_MATCHES} rows deleted`);
  }
  const tmp = await readdir(path.join(dir, 'state', 'tmp')).catch(() => []);
  if (tmp.length > 0) failures.push(`state tmp/ not empty: ${tmp.join(', ')}`);
  return { killedIn, failures, jobMs: first.afterFirstLineMs, durationMs: Date.now() - started };
}

interface JobSummary {
  status: string;
  counters: { objectsUpdated: number; objectsUnchanged: number; rowsDeleted: number };
}

async function jobStatuses(dir: string): Promise<JobSummary[]> {
  const jobsDir = path.join(dir, 'state', 'jobs');
  const ids = await readdir(jobsDir).catch(() => []);
  const jobs: JobSummary[] = [];
  for (const id of ids.sort()) {
    const text = await readFile(path.join(jobsDir, id, 'job.json'), 'utf8').catch(() => undefined);
    if (text !== undefined) jobs.push(JSON.parse(text) as JobSummary);
  }
  return jobs;
}

/** The status of the job that was running (read from the state folder as the process left it). */
async function activeStatus(dir: string): Promise<string> {
  const jobs = await jobStatuses(dir);
  return jobs.at(-1)?.status ?? 'none';
}

/** Each object is the original or the correct rewrite, and nothing else is in the lake. */
async function checkLake(dir: string): Promise<string[]> {
  const failures: string[] = [];
  const lake = path.join(dir, 'lake');
  const { asyncBufferFromFile, parquetReadObjects } = await import('hyparquet');
  for (const [name, ids] of Object.entries(PEOPLE)) {
    const rows = await parquetReadObjects({ file: await asyncBufferFromFile(path.join(lake, 'people', name)) });
    const got = rows.map((row) => Number(row.id)).join(',');
    const want = ids.filter((id) => !ERASED.has(id)).join(',');
    if (got !== want) failures.push(`people/${name}: ids ${got}, expected ${want}`);
  }
  const events = (await readFile(path.join(lake, 'events', 'part-0.jsonl'), 'utf8')).split('\n').filter(Boolean);
  const wantEvents = EVENTS.filter((_, i) => !ERASED.has(i + 1));
  if (events.join('\n') !== wantEvents.join('\n')) failures.push('events/part-0.jsonl: lines differ from the fixture without the erased people');
  const orders = (await readFile(path.join(lake, 'orders', 'part-0.csv'), 'utf8')).split('\n').filter(Boolean);
  const wantOrders = ORDERS.filter((_, i) => i === 0 || !ERASED.has(i));
  if (orders.join('\n') !== wantOrders.join('\n')) failures.push('orders/part-0.csv: lines differ from the fixture without the erased people');
  const files = await listFiles(lake);
  const expected = [...Object.keys(PEOPLE).map((n) => `people/${n}`), 'events/part-0.jsonl', 'orders/part-0.csv'].sort();
  if (files.join() !== expected.join()) failures.push(`lake files: ${files.join(', ')}`);
  return failures;
}

async function listFiles(root: string, relative = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(path.join(root, relative), { withFileTypes: true })) {
    const name = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await listFiles(root, name)));
    else files.push(name);
  }
  return files.sort();
}

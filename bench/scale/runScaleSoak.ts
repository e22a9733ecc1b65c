import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { quoteLiteral } from '../../shared/duckdb/sqlText';
import { CHUNK_ITEMS } from '../../shared/job/findPhase';
import { enqueueMatches } from '../../shared/queue/deletionQueue';
import { parseMatchFile } from '../../shared/queue/parseMatchFile';
import { openLocalRuntime } from '../../shared/runtime/openLocalRuntime';
import { timeOnce } from '../measure';
import { ScaleLake, ScaleLakeShape, buildScaleLake, fingerprintSql } from './buildScaleLake';
import { ScaleJobChildResult } from './scaleJobChild';

export interface ScaleSoakResult {
  shape: ScaleLakeShape;
  generateSeconds: number;
  enqueueSeconds: number;
  job: ScaleJobChildResult;
  /** What the test's own DuckDB reads in the lake after the job. */
  lake: { files: number; rows: number; matchesLeft: number; objectsChanged: number; fingerprint: string; otherFiles: string[] };
  /** Empty when every check held. */
  failures: string[];
}

/**
 * "Scale on one machine": one local job of `shape.matchIds` IDs over `shape.objects` small objects.
 * Builds the lake, enqueues (timed apart from the job), runs the job in a fresh process
 * (scaleJobChild) and checks it against the generator's own expectations, read back by a DuckDB of
 * the soak's own: no erased row left, every other row there value for value, exactly the touched
 * objects rewritten, the counters exact, every Athena statement under Athena's limit, one manifest
 * line per (ID, column it casts to), in one manifest part per chunk of the queue.
 */
export async function runScaleSoak(shape: ScaleLakeShape, scratchRoot: string, childScript: string): Promise<ScaleSoakResult> {
  const dir = await mkdtemp(path.join(scratchRoot, 'lethe-scale-'));
  try {
    let lake: ScaleLake | undefined;
    const generateSeconds = await timeOnce(async () => {
      lake = await buildScaleLake(dir, shape);
    });
    const built = lake!;
    const enqueueSeconds = await timeOnce(() => enqueueFile(built));
    const job = await runChildJob(childScript, built.configPath);
    const after = await readLakeBack(built, shape);
    return { shape, generateSeconds, enqueueSeconds, job, lake: after, failures: checkScaleRun(built, shape, job, after) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** What `lethe enqueue --file` does, in this (unmeasured) process. */
async function enqueueFile(lake: ScaleLake): Promise<void> {
  const runtime = await openLocalRuntime(lake.configPath);
  try {
    await enqueueMatches(runtime.ports.state, parseMatchFile(await readFile(lake.idsFile, 'utf8'), 'txt', path.basename(lake.idsFile)));
  } finally {
    await runtime.close();
  }
}

function runChildJob(script: string, configPath: string): Promise<ScaleJobChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, configPath], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0) reject(new Error(`scale job child exited ${code ?? signal}: ${stdout}`));
      else resolve(JSON.parse(last) as ScaleJobChildResult);
    });
  });
}

async function readLakeBack(lake: ScaleLake, shape: ScaleLakeShape): Promise<ScaleSoakResult['lake']> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '1GB' });
  const connection = await instance.connect();
  try {
    const one = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJS()[0]!;
    await connection.run(`CREATE TABLE erased AS SELECT column0::BIGINT AS customer_id FROM read_csv(${quoteLiteral(lake.presentIdsFile)}, header = false)`);
    const glob = quoteLiteral(path.join(lake.lakeDir, 'events', '**', '*.parquet'));
    await connection.run(`CREATE TABLE rows AS SELECT customer_id, email, note, amount, filename FROM read_parquet(${glob}, filename = true)`);
    const totals = await one(`SELECT count(*)::BIGINT AS n, count(DISTINCT filename)::BIGINT AS files, count(*) FILTER (WHERE customer_id IN (SELECT customer_id FROM erased))::BIGINT AS left_ FROM rows`);
    const changed = await one(`SELECT count(*)::BIGINT AS n FROM (SELECT filename FROM rows GROUP BY filename HAVING count(*) <> ${shape.rowsPerObject})`);
    const fingerprint = await one(`SELECT ${fingerprintSql()} AS fingerprint FROM rows`);
    return {
      files: Number(totals.files),
      rows: Number(totals.n),
      matchesLeft: Number(totals.left_),
      objectsChanged: Number(changed.n),
      fingerprint: String(fingerprint.fingerprint),
      otherFiles: (await listFiles(lake.lakeDir)).filter((file) => !file.endsWith('.parquet')),
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function checkScaleRun(lake: ScaleLake, shape: ScaleLakeShape, job: ScaleJobChildResult, after: ScaleSoakResult['lake']): string[] {
  const failures: string[] = [];
  const expect = (what: string, got: unknown, want: unknown) => {
    if (got !== want) failures.push(`${what}: ${String(got)}, expected ${String(want)}`);
  };
  expect('job status', job.status, 'COMPLETED');
  expect('objects found', job.plan.objects, lake.expected.objectsUpdated);
  expect('objects updated', job.counters.objectsUpdated, lake.expected.objectsUpdated);
  expect('objects unchanged', job.counters.objectsUnchanged, 0);
  expect('rows deleted', job.counters.rowsDeleted, lake.expected.rowsDeleted);
  expect('lake files', after.files, shape.objects);
  expect('lake rows', after.rows, lake.expected.rowsLeft);
  expect('erased rows left in the lake', after.matchesLeft, 0);
  expect('objects whose row count changed', after.objectsChanged, lake.expected.objectsUpdated);
  expect('fingerprint of the rows left', after.fingerprint, lake.expected.fingerprintLeft);
  if (after.otherFiles.length > 0) failures.push(`files in the lake that are not its objects: ${after.otherFiles.slice(0, 5).join(', ')}`);
  expect('Athena statements', job.athena.statements >= job.athena.groups, true);
  if (job.athena.maxBytes > job.athena.limitBytes) failures.push(`an Athena statement is ${job.athena.maxBytes} bytes, over ${job.athena.limitBytes}`);
  // Every ID is a number: it casts to the integer customer_id and to the string email alike.
  const columns = 2;
  expect('manifest lines', job.manifests.reduce((sum, m) => sum + m.lines, 0), shape.matchIds * columns);
  // Split as designed: one part per chunk of the queue, so no process holds the whole manifest.
  expect('manifest parts', job.manifests.length, Math.ceil(shape.matchIds / CHUNK_ITEMS));
  const largest = Math.max(0, ...job.manifests.map((m) => m.lines));
  if (largest > CHUNK_ITEMS * columns) failures.push(`a manifest part holds ${largest} lines, more than a chunk of ${CHUNK_ITEMS} IDs casts to`);
  return failures;
}

async function listFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) files.push(path.join(entry.parentPath, entry.name));
  }
  return files;
}

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { ATHENA_MAX_QUERY_BYTES, buildAthenaFindSql } from '../../shared/adapters/aws/buildAthenaFindSql';
import { planPartitionQueries } from '../../shared/find/planPartitionQueries';
import { approveJob } from '../../shared/job/jobCommands';
import { runJob } from '../../shared/job/runJob';
import { startJob } from '../../shared/job/startJob';
import { JobId } from '../../shared/model/identifiers';
import { Job, JobStatus } from '../../shared/model/job';
import { readMatchSets } from '../../shared/records/matchSets';
import { listObjectResults } from '../../shared/records/objectResults';
import { jobPrefix, manifestsPrefix, planKey } from '../../shared/records/stateKeys';
import { Runtime } from '../../shared/runtime/Runtime';
import { openLocalRuntime } from '../../shared/runtime/openLocalRuntime';
import { peakRssBytes, resetPeakRss } from '../measure';

/** A job phase as the coordinator went through it: wall time, and the process's peak RSS when it ended. */
export interface PhaseFigure {
  status: JobStatus;
  seconds: number;
  peakRssBytes: number;
}

export interface StateFileFigure {
  key: string;
  bytes: number;
  lines: number;
}

export interface ScaleJobChildResult {
  jobId: JobId;
  status: JobStatus;
  failure?: string;
  counters: Job['counters'];
  phases: PhaseFigure[];
  /** VmHWM of this process over the whole job (reset after start-up). */
  peakRssBytes: number;
  /** Time one worker spent on one object (its result's durationMs): where the forget phase goes. */
  objectSeconds: { median: number; p90: number; max: number };
  plan: { bytes: number; objects: number };
  /** Every file under the job's manifests/ while the job waited for approval. */
  manifests: StateFileFigure[];
  /** What the job keeps in the state store while it waits for approval, by top folder (manifests/, objects/, events/...). */
  stateFolders: Record<string, { files: number; bytes: number; largestBytes: number }>;
  /** The statements the AWS executor would send for this job's partition groups, built by its own builder. */
  athena: { groups: number; statements: number; maxBytes: number; limitBytes: number };
}

/**
 * One scale job in a fresh process, so the peak RSS is the job's: node scaleJobChild.js LETHE_YAML.
 * The queue is filled beforehand. The job waits for approval after its find (the scale lake's
 * settings ask for it), which is where the plan, manifests and Athena statements are measured; then
 * it is approved and driven to its end. Progress goes to stderr; the last stdout line is the JSON result.
 */
async function main(configPath: string): Promise<void> {
  const runtime = await openLocalRuntime(configPath);
  try {
    const hmacKey = await runtime.hmacKey();
    resetPeakRss();
    const phases: PhaseFigure[] = [];
    let current: { status: JobStatus; since: number } | undefined;
    const onProgress = ({ job }: { job: Job }) => {
      if (current?.status === job.status) return;
      const now = Date.now();
      if (current) phases.push({ status: current.status, seconds: (now - current.since) / 1000, peakRssBytes: peakRssBytes() });
      process.stderr.write(`${new Date(now).toISOString()} ${job.status}\n`);
      current = { status: job.status, since: now };
    };
    const started = await startJob(runtime.ports.state, runtime.config, 'scale soak');
    const waiting = await runJob(runtime.ports, started.id, { hmacKey, pollIntervalMs: 200, onProgress });
    if (waiting.status !== 'AWAITING_APPROVAL') throw new Error(`the scale job ended ${waiting.status} before approval: ${waiting.failure ?? ''}`);
    const plan = await planFigures(runtime, started.id);
    const manifests = await manifestFigures(runtime, started.id);
    const stateFolders = await stateFolderFigures(runtime, started.id);
    const athena = await athenaFigures(runtime, started.id);
    current = undefined;
    await approveJob(runtime.ports, started.id, 'scale soak');
    const ended = await runJob(runtime.ports, started.id, { hmacKey, pollIntervalMs: 200, onProgress });
    const peak = peakRssBytes();
    const result: ScaleJobChildResult = {
      jobId: ended.id,
      status: ended.status,
      ...(ended.failure ? { failure: ended.failure } : {}),
      counters: ended.counters,
      phases,
      peakRssBytes: peak,
      objectSeconds: await objectSeconds(runtime, started.id),
      plan: { ...plan, objects: waiting.counters.objectsFound },
      manifests,
      stateFolders,
      athena,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await runtime.close();
  }
}

async function objectSeconds(runtime: Runtime, jobId: JobId): Promise<ScaleJobChildResult['objectSeconds']> {
  const seconds = (await listObjectResults(runtime.ports.state, jobId)).map((r) => r.durationMs / 1000).sort((a, b) => a - b);
  const at = (q: number) => seconds[Math.min(seconds.length - 1, Math.floor(q * seconds.length))] ?? 0;
  return { median: at(0.5), p90: at(0.9), max: seconds.at(-1) ?? 0 };
}

/** plan.json's size, read from disk without parsing it (parsing would add to the peak measured). */
async function planFigures(runtime: Runtime, jobId: JobId): Promise<{ bytes: number }> {
  return { bytes: (await stat(runtime.ports.state.describe(planKey(jobId)))).size };
}

async function manifestFigures(runtime: Runtime, jobId: JobId): Promise<StateFileFigure[]> {
  const figures: StateFileFigure[] = [];
  for await (const key of runtime.ports.state.list(manifestsPrefix(jobId))) {
    const file = runtime.ports.state.describe(key);
    figures.push({ key: key.slice(manifestsPrefix(jobId).length), bytes: (await stat(file)).size, lines: await countLines(file) });
  }
  return figures;
}

async function stateFolderFigures(runtime: Runtime, jobId: JobId): Promise<ScaleJobChildResult['stateFolders']> {
  const folders: ScaleJobChildResult['stateFolders'] = {};
  for await (const key of runtime.ports.state.list(jobPrefix(jobId))) {
    const relative = key.slice(jobPrefix(jobId).length);
    const folder = relative.includes('/') ? `${relative.split('/')[0]}/` : relative;
    const bytes = (await stat(runtime.ports.state.describe(key))).size;
    const figure = (folders[folder] ??= { files: 0, bytes: 0, largestBytes: 0 });
    figure.files++;
    figure.bytes += bytes;
    figure.largestBytes = Math.max(figure.largestBytes, bytes);
  }
  return folders;
}

async function countLines(file: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(file)) {
    for (const byte of chunk as Buffer) if (byte === 0x0a) lines++;
  }
  return lines;
}

/**
 * The Athena statements for every partition group of every mapper: planned by the same planner the
 * find uses, over the catalog's partitions, with the match sets the find stored, built by the AWS
 * executor's builder (Glue names as the stack would have them).
 */
async function athenaFigures(runtime: Runtime, jobId: JobId): Promise<ScaleJobChildResult['athena']> {
  let groups = 0;
  let statements = 0;
  let maxBytes = 0;
  for (const mapper of runtime.config.dataMappers) {
    const table = await runtime.ports.catalog.describeTable(mapper);
    const matchSets = await readMatchSets(runtime.ports.state, jobId, mapper.id);
    for (const group of planPartitionQueries(mapper, table, await runtime.ports.catalog.listPartitions(mapper, table))) {
      groups++;
      const query = { jobId, mapper, table, group, matchSets };
      for (const sql of buildAthenaFindSql(query, { manifestDatabase: 'lethe', manifestTable: 'manifests', database: 'lake', table: mapper.id })) {
        statements++;
        maxBytes = Math.max(maxBytes, Buffer.byteLength(sql, 'utf8'));
      }
    }
  }
  return { groups, statements, maxBytes, limitBytes: ATHENA_MAX_QUERY_BYTES };
}

main(process.argv[2] ?? '').catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});

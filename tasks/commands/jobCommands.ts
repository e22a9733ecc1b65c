import { InputError } from '../../shared/model/errors';
import { JobId } from '../../shared/model/identifiers';
import { Job, isTerminal } from '../../shared/model/job';
import { JobProgress } from '../../shared/job/runJob';
import { reportKey } from '../../shared/records/stateKeys';
import { listJobEvents } from '../../shared/records/jobEvents';
import { listJobIds, readJob } from '../../shared/records/jobRecord';
import { Runtime } from '../../shared/runtime/Runtime';
import { approveRuntimeJob, cancelRuntimeJob, rejectRuntimeJob } from '../../shared/runtime/decideRuntimeJob';
import { REPORT_FORMATS, ReportTextFormat, readRuntimeReport } from '../../shared/runtime/readRuntimeReport';
import { startRuntimeJob } from '../../shared/runtime/startRuntimeJob';
import { CliContext } from '../cliContext';
import { createProgressLine } from '../progressLine';

/**
 * lethe job start: creates a job from the queue (or resumes one whose process died) and drives it:
 * here locally, in the find task on AWS (followed with --wait). Returns the job as it ended or
 * paused; --wait makes anything but COMPLETED exit 2.
 */
export async function jobStartCommand(context: CliContext, wait: boolean): Promise<Job> {
  const onStarted = (job: Job, resumed: boolean) => {
    if (resumed) process.stderr.write(`resuming job ${job.id} (${job.status}), whose process stopped\n`);
    else if (!context.json) process.stdout.write(`${job.id}\n`);
  };
  return drive(context, wait, (options) => startRuntimeJob(options.runtime, { ...options.drive, onStarted }));
}

/** Approves a job and carries it on as job start does. */
export async function jobApproveCommand(context: CliContext, jobId: JobId, wait: boolean): Promise<Job> {
  return drive(context, wait, (options) => approveRuntimeJob(options.runtime, jobId, options.drive));
}

type Drive = { runtime: Runtime; drive: { wait: boolean; onProgress?: (p: JobProgress) => void; onRequested: (request: string) => void } };

/** The progress line while a job runs, and one line (or --json) on where it ended. */
async function drive(context: CliContext, wait: boolean, run: (options: Drive) => Promise<Job>): Promise<Job> {
  const runtime = await context.runtime();
  const progress = wait && !context.json ? createProgressLine() : undefined;
  const onRequested = (request: string) => {
    if (!context.json) process.stderr.write(`job requested: ${request} starts the find task\n`);
  };
  const ended = await run({ runtime, drive: { wait, onRequested, ...(progress ? { onProgress: progress.update } : {}) } });
  progress?.done();
  const jobId = ended.id;
  const reportPath = runtime.ports.state.describe(reportKey(jobId, 'html'));
  const text = !isTerminal(ended.status) && ended.status !== 'AWAITING_APPROVAL'
    ? `job ${jobId} is ${ended.status} (lethe job status ${jobId})`
    : ended.status === 'AWAITING_APPROVAL'
    ? `job ${jobId} found ${ended.counters.objectsFound} objects and awaits approval: lethe job approve ${jobId} (or reject)`
    : `job ${jobId} ended ${ended.status}: ${ended.counters.rowsDeleted} rows deleted from ${ended.counters.objectsUpdated} objects${unappliedNote(ended)}\nreport: ${reportPath}`;
  context.print({ job: ended, report: reportPath }, text);
  return ended;
}

function unappliedNote(job: Job): string {
  const n = job.counters.matchesUnapplied;
  if (n === 0) return '';
  return `\n${n} match ${n === 1 ? 'ID' : 'IDs'} applied to no column of any mapper and ${n === 1 ? 'stays' : 'stay'} in the queue (the report lists why): fix the ID or the mapper, or lethe queue remove ITEM`;
}

export async function jobListCommand(context: CliContext): Promise<void> {
  const { ports } = await context.runtime();
  const jobs = await Promise.all((await listJobIds(ports.state)).map(async (id) => (await readJob(ports.state, id)).job));
  context.print(
    jobs.map((j) => ({ id: j.id, status: j.status, createdAt: j.createdAt, finishedAt: j.finishedAt, counters: j.counters })),
    jobs.length === 0 ? 'no jobs yet' : jobs.map((j) => `${j.id}  ${j.status.padEnd(24)} ${j.createdAt}  rows deleted ${j.counters.rowsDeleted}`).join('\n'),
  );
}

export async function jobStatusCommand(context: CliContext, jobId: JobId): Promise<void> {
  const { ports } = await context.runtime();
  const { job } = await readJob(ports.state, jobId);
  const c = job.counters;
  context.print(
    job,
    [
      `job ${job.id}: ${job.status}${job.cancelRequested ? ' (cancel requested)' : ''}`,
      `started ${job.createdAt} by ${job.createdBy}${job.finishedAt ? `, finished ${job.finishedAt}` : ''}`,
      `match IDs ${c.matchIds} (${c.matchesSkipped} skipped for a mapper, ${c.matchesUnapplied} applied nowhere), queries ${c.queries}, bytes scanned ${c.bytesScanned}`,
      `objects found ${c.objectsFound}, updated ${c.objectsUpdated}, unchanged ${c.objectsUnchanged}, missing ${c.objectsMissing}, failed ${c.objectsFailed}`,
      `rows deleted ${c.rowsDeleted}, old versions deleted ${c.versionsDeleted}, matches left after verify ${c.matchesLeft}`,
      ...(job.failure ? [`failure: ${job.failure}`] : []),
    ].join('\n'),
  );
}

export async function jobEventsCommand(context: CliContext, jobId: JobId): Promise<void> {
  const { ports } = await context.runtime();
  await readJob(ports.state, jobId);
  const events = await listJobEvents(ports.state, jobId);
  context.print(events, events.map((e) => `${e.at}  ${e.type.padEnd(16)} ${JSON.stringify(e.data)}`).join('\n'));
}

export async function jobReportCommand(context: CliContext, jobId: JobId, format: string): Promise<void> {
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) throw new InputError(`--format ${format}: expected ${REPORT_FORMATS.join(', ')}`);
  const text = await readRuntimeReport(await context.runtime(), jobId, format as ReportTextFormat);
  process.stdout.write(text + (format === 'json' ? '\n' : ''));
}

export async function jobRejectCommand(context: CliContext, jobId: JobId): Promise<void> {
  const job = await rejectRuntimeJob(await context.runtime(), jobId);
  context.print(job, `job ${jobId} rejected: the lake and the queue are unchanged`);
}

export async function jobCancelCommand(context: CliContext, jobId: JobId): Promise<void> {
  const job = await cancelRuntimeJob(await context.runtime(), jobId);
  context.print(job, job.status === 'CANCELLED' ? `job ${jobId} cancelled` : `job ${jobId}: cancel requested; it stops at its next step`);
}

import { currentUser } from '../../shared/job/currentUser';
import { InputError, NotFoundError } from '../../shared/model/errors';
import { JobId } from '../../shared/model/identifiers';
import { Job, isTerminal } from '../../shared/model/job';
import { followJob } from '../../shared/job/followJob';
import { adoptJob, approveJob, cancelJob, findOrphanedJob, rejectJob } from '../../shared/job/jobCommands';
import { reportKey } from '../../shared/records/stateKeys';
import { listJobEvents } from '../../shared/records/jobEvents';
import { listJobIds, readJob } from '../../shared/records/jobRecord';
import { runJob } from '../../shared/job/runJob';
import { startJob } from '../../shared/job/startJob';
import { DeletionReport } from '../../shared/report/deletionReport';
import { renderReportMarkdown } from '../../shared/report/renderReportMarkdown';
import { CliContext } from '../cliContext';
import { createProgressLine } from '../progressLine';

/**
 * lethe job start: creates a job from the queue (or resumes one whose process died) and drives it
 * here, since the local queue and workers live in this process. Returns the job as it ended or
 * paused; --wait makes anything but COMPLETED exit 2.
 */
export async function jobStartCommand(context: CliContext, wait: boolean): Promise<Job> {
  const { ports, config, launchJob } = await context.runtime();
  // On AWS the find task resumes its own job (LETHE_JOB_ID); a dead CLI process orphans nothing.
  const orphan = launchJob ? undefined : await findOrphanedJob(ports);
  let job: Job;
  if (orphan) {
    await adoptJob(ports, orphan.id);
    process.stderr.write(`resuming job ${orphan.id} (${orphan.status}), whose process stopped\n`);
    job = orphan;
  } else {
    job = await startJob(ports.state, config, currentUser());
    if (!context.json) process.stdout.write(`${job.id}\n`);
  }
  return driveJob(context, job.id, wait);
}

/**
 * Runs the job to its end or to approval: here, where the local queue and workers live; or, on AWS,
 * in the ECS find task, which a request in the state bucket starts (the stack's EventBridge rule runs
 * it: operators hold no ecs:RunTask), and which this process then follows when asked to wait.
 */
export async function driveJob(context: CliContext, jobId: JobId, wait: boolean): Promise<Job> {
  const { ports, launchJob } = await context.runtime();
  const progress = wait && !context.json ? createProgressLine() : undefined;
  let ended: Job;
  if (launchJob) {
    const request = await launchJob(jobId, currentUser());
    if (!context.json) process.stderr.write(`job ${jobId} requested: ${request} starts the find task\n`);
    ended = wait ? await followJob(ports.state, jobId, (job) => progress?.update({ job })) : (await readJob(ports.state, jobId)).job;
  } else {
    ended = await runJob(ports, jobId, { hmacKey: await context.hmacKey(), ...(progress ? { onProgress: progress.update } : {}) });
  }
  progress?.done();
  const reportPath = ports.state.describe(reportKey(jobId, 'html'));
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
  const { ports } = await context.runtime();
  const stored = await ports.state.read(reportKey(jobId, format === 'html' ? 'html' : 'json'));
  if (!stored) throw new NotFoundError(`job ${jobId} has no report yet (it is written when the job ends)`);
  if (format === 'json' || format === 'html') process.stdout.write(stored.body.toString('utf8') + (format === 'json' ? '\n' : ''));
  else if (format === 'md') process.stdout.write(renderReportMarkdown(JSON.parse(stored.body.toString('utf8')) as DeletionReport));
  else throw new InputError(`--format ${format}: expected json, html or md`);
}

/** Approves a job and, the workers being local, carries it on to its end here. */
export async function jobApproveCommand(context: CliContext, jobId: JobId, wait: boolean): Promise<Job> {
  const { ports } = await context.runtime();
  await approveJob(ports, jobId, currentUser());
  return driveJob(context, jobId, wait);
}

export async function jobRejectCommand(context: CliContext, jobId: JobId): Promise<void> {
  const { ports } = await context.runtime();
  const job = await rejectJob(ports, jobId, currentUser());
  context.print(job, `job ${jobId} rejected: the lake and the queue are unchanged`);
}

export async function jobCancelCommand(context: CliContext, jobId: JobId): Promise<void> {
  const { ports } = await context.runtime();
  const job = await cancelJob(ports, jobId, currentUser());
  context.print(job, job.status === 'CANCELLED' ? `job ${jobId} cancelled` : `job ${jobId}: cancel requested; it stops at its next step`);
}

import { JobId } from '../model/identifiers';
import { hostname } from 'node:os';
import { InputError } from '../model/errors';
import { Job, JobStatus, isTerminal } from '../model/job';
import { Ports } from '../ports/Ports';
import { finishJob } from './finishJob';
import { LOCK_KEY } from '../records/stateKeys';
import { readJobLock } from '../records/jobLock';
import { appendEvent } from '../records/jobEvents';
import { readJob, updateJob } from '../records/jobRecord';
import { readVerification } from '../records/verification';

/** Lets a job that waits for approval go on to FORGETTING; the caller then runs it. */
export async function approveJob(ports: Pick<Ports, 'state'>, jobId: JobId, by: string): Promise<Job> {
  const job = await updateJob(ports.state, jobId, (j) => {
    expectAwaitingApproval(j);
    return { ...j, status: 'FORGETTING' };
  });
  await appendEvent(ports.state, jobId, 'JobApproved', { by });
  return job;
}

/**
 * Ends a job that waits for approval as REJECTED: the lake and the queue stay as they are. The check
 * and the claim are one conditional write (cancelRequested), so an approve racing it loses.
 */
export async function rejectJob(ports: Ports, jobId: JobId, by: string): Promise<Job> {
  const claimed = await updateJob(ports.state, jobId, (j) => {
    expectAwaitingApproval(j);
    return { ...j, cancelRequested: true };
  });
  await appendEvent(ports.state, jobId, 'JobRejected', { by });
  return finishJob(ports, claimed, 'REJECTED', { ran: false, objectsWithMatches: [] });
}

/**
 * Cancels a job. One that nothing is driving (waiting for approval, or whose process died) ends at
 * once; a running one is asked to stop, and its coordinator ends it CANCELLED at its next step.
 * Objects already rewritten stay rewritten; the queue keeps its items. Which of the two happens is
 * decided by the status the conditional write saw, never by an earlier read: an approve in between
 * makes the job a running one, and a coordinator that moved a QUEUED job to FINDING first drives it
 * to CANCELLED itself; one that comes after the cancel leaves a QUEUED job to this command.
 */
export async function cancelJob(ports: Ports, jobId: JobId, by: string): Promise<Job> {
  let seen: JobStatus | undefined;
  const marked = await updateJob(ports.state, jobId, (j) => {
    seen = j.status;
    return { ...j, cancelRequested: true };
  });
  await appendEvent(ports.state, jobId, 'CancelRequested', { by });
  if (seen === 'AWAITING_APPROVAL' || seen === 'QUEUED' || (await isOrphaned(ports, jobId))) {
    return finishJob(ports, marked, 'CANCELLED', await readVerification(ports.state, jobId));
  }
  return marked;
}

/** The approval check: a job rejected or cancelled while it waited is claimed, not approvable. */
function expectAwaitingApproval(job: Job): void {
  if (job.status !== 'AWAITING_APPROVAL') throw new InputError(`job ${job.id} is ${job.status}, not AWAITING_APPROVAL`, { jobId: job.id });
  if (job.cancelRequested) throw new InputError(`job ${job.id} is being rejected or cancelled`, { jobId: job.id });
}

/**
 * The active job, if no live process drives it: its lock names a process on this machine that has
 * gone. Such a job is resumed by the next `lethe job start`.
 */
export async function findOrphanedJob(ports: Pick<Ports, 'state'>): Promise<Job | undefined> {
  const holder = await readJobLock(ports.state);
  if (!holder) return undefined;
  const { job } = await readJob(ports.state, holder.lock.jobId);
  if (isTerminal(job.status) || job.status === 'AWAITING_APPROVAL') return undefined;
  return (await isOrphaned(ports, job.id)) ? job : undefined;
}

async function isOrphaned(ports: Pick<Ports, 'state'>, jobId: JobId): Promise<boolean> {
  const holder = await readJobLock(ports.state);
  if (!holder || holder.lock.jobId !== jobId || holder.lock.host !== hostname()) return false;
  if (holder.lock.pid === process.pid) return false;
  try {
    process.kill(holder.lock.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Marks this process as the job's driver, so a later start sees it alive. */
export async function adoptJob(ports: Pick<Ports, 'state'>, jobId: JobId): Promise<void> {
  const holder = await readJobLock(ports.state);
  if (!holder || holder.lock.jobId !== jobId) return;
  await ports.state.replace(LOCK_KEY, JSON.stringify({ ...holder.lock, host: hostname(), pid: process.pid }), holder.etag);
  await appendEvent(ports.state, jobId, 'JobResumed', { pid: process.pid });
}

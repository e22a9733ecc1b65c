import { JobId } from '../model/identifiers';
import { currentUser } from './currentUser';
import { ConflictError, InputError, NotFoundError } from '../model/errors';
import { Job, ZERO_COUNTERS, isTerminal } from '../model/job';
import { LetheConfig } from '../model/config';
import { snapshotQueue } from '../queue/deletionQueue';
import { StateStore } from '../ports/StateStore';
import { LOCK_KEY, jobKey } from '../records/stateKeys';
import { acquireJobLock, readJobLock, releaseJobLock } from '../records/jobLock';
import { appendEvent } from '../records/jobEvents';
import { newJobId, readJob } from '../records/jobRecord';

const ABANDONED_LOCK_MS = 60_000;

/**
 * Creates a job from the queue: takes the single-job lock (a conditional create, so two starters cannot
 * both win), snapshots the queue batches, the mappers and the settings, and writes the job QUEUED.
 */
export async function startJob(state: StateStore, config: LetheConfig, createdBy = currentUser()): Promise<Job> {
  if (config.dataMappers.length === 0) throw new InputError('no data mappers configured: add dataMappers to lethe.yaml');
  const { entries, count } = await snapshotQueue(state);
  if (count === 0) throw new InputError('the deletion queue is empty: enqueue match IDs first (lethe enqueue ID...)');
  const id = newJobId();
  await takeLock(state, id);
  const now = new Date().toISOString();
  const job: Job = {
    id,
    status: 'QUEUED',
    createdAt: now,
    updatedAt: now,
    createdBy,
    settings: config.settings,
    mappers: config.dataMappers,
    queue: entries,
    counters: { ...ZERO_COUNTERS, matchIds: count },
  };
  try {
    await state.create(jobKey(id), JSON.stringify(job, null, 2));
  } catch (error) {
    await releaseJobLock(state, id);
    throw error;
  }
  await appendEvent(state, id, 'JobStarted', { matchIds: count, mappers: config.dataMappers.map((m) => m.id), createdBy });
  return job;
}

async function takeLock(state: StateStore, jobId: JobId): Promise<void> {
  try {
    await acquireJobLock(state, jobId);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const holder = await readJobLock(state);
    if (!holder) return takeLock(state, jobId);
    const active = await readJob(state, holder.lock.jobId).catch((e: unknown) => {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    });
    // Stale: the job has ended (a crash after its terminal write), or its starter died before
    // writing it. A fresh lock without a job is a starter still at work: not stale.
    const abandoned = !active && Date.now() - Date.parse(holder.lock.acquiredAt) > ABANDONED_LOCK_MS;
    if (abandoned || (active && isTerminal(active.job.status))) {
      await state.delete(LOCK_KEY, holder.etag);
      return takeLock(state, jobId);
    }
    throw new ConflictError(`job ${holder.lock.jobId} is ${active?.job.status ?? 'starting'}: one job at a time (lethe job status ${holder.lock.jobId})`, { jobId: holder.lock.jobId });
  }
}

import { hostname } from 'node:os';
import { ConflictError } from '../model/errors';
import { expectRecord } from '../model/fields';
import { ETag, JobId, parseJobId } from '../model/identifiers';
import { StateStore } from '../ports/StateStore';
import { LOCK_KEY } from './stateKeys';

export interface JobLock {
  jobId: JobId;
  host: string;
  pid: number;
  acquiredAt: string;
}

/** Takes the single-job lock with a conditional create: two starters cannot both win. */
export async function acquireJobLock(state: StateStore, jobId: JobId): Promise<JobLock> {
  const lock: JobLock = { jobId, host: hostname(), pid: process.pid, acquiredAt: new Date().toISOString() };
  await state.create(LOCK_KEY, JSON.stringify(lock));
  return lock;
}

export async function readJobLock(state: StateStore): Promise<{ lock: JobLock; etag: ETag } | undefined> {
  const stored = await state.read(LOCK_KEY);
  if (!stored) return undefined;
  const record = expectRecord(JSON.parse(stored.body.toString('utf8')), LOCK_KEY);
  const lock: JobLock = {
    jobId: parseJobId(record.jobId, `${LOCK_KEY}.jobId`),
    host: typeof record.host === 'string' ? record.host : '',
    pid: typeof record.pid === 'number' ? record.pid : 0,
    acquiredAt: typeof record.acquiredAt === 'string' ? record.acquiredAt : '',
  };
  return { lock, etag: stored.etag };
}

/** Releases the lock only if it is still this job's. */
export async function releaseJobLock(state: StateStore, jobId: JobId): Promise<void> {
  const current = await readJobLock(state);
  if (!current || current.lock.jobId !== jobId) return;
  try {
    await state.delete(LOCK_KEY, current.etag);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
  }
}

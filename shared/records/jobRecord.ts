import { randomBytes } from 'node:crypto';
import { ConflictError, InputError, NotFoundError } from '../model/errors';
import { ETag, JobId, parseJobId } from '../model/identifiers';
import { Job, isTerminal, parseJob } from '../model/job';
import { StateStore } from '../ports/StateStore';
import { JOBS_PREFIX, jobIdOfJobKey, jobKey } from './stateKeys';

export async function readJob(state: StateStore, jobId: JobId): Promise<{ job: Job; etag: ETag }> {
  const stored = await state.read(jobKey(jobId));
  if (!stored) throw new NotFoundError(`job ${jobId} not found in ${state.describe(JOBS_PREFIX)}`, { jobId });
  return { job: parseJob(JSON.parse(stored.body.toString('utf8')), state.describe(jobKey(jobId))), etag: stored.etag };
}

/**
 * Applies `change` to the current job and writes it with If-Match, re-reading on conflict. A terminal
 * status is written once: a change to a finished job is refused.
 */
export async function updateJob(state: StateStore, jobId: JobId, change: (job: Job) => Job): Promise<Job> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const { job, etag } = await readJob(state, jobId);
    if (isTerminal(job.status)) throw new InputError(`job ${jobId} has ended (${job.status}) and cannot change`, { jobId });
    const next = { ...change(job), updatedAt: new Date().toISOString() };
    try {
      await state.replace(jobKey(jobId), JSON.stringify(next, null, 2), etag);
      return next;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  throw new ConflictError(`job ${jobId}: too many concurrent updates`, { jobId });
}

/** Job ids, newest first. */
export async function listJobIds(state: StateStore): Promise<JobId[]> {
  const ids = new Set<JobId>();
  for await (const key of state.list(JOBS_PREFIX)) {
    const id = jobIdOfJobKey(key);
    if (id) ids.add(id);
  }
  return [...ids].sort().reverse();
}

export function newJobId(now = new Date()): JobId {
  return parseJobId(`${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`);
}

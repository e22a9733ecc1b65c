import { randomBytes } from 'node:crypto';
import { ConflictError, InputError, NotFoundError } from '../model/errors';
import { Json } from '../model/fields';
import { Job, checkJobId, isTerminal, parseJob } from '../model/job';
import { JobEvent, JobEventType, parseJobEvent } from '../model/jobEvent';
import { StateStore } from '../ports/StateStore';

export function jobKey(jobId: string, file = 'job.json'): string {
  return `jobs/${jobId}/${file}`;
}

export async function readJob(state: StateStore, jobId: string): Promise<{ job: Job; etag: string }> {
  checkJobId(jobId);
  const stored = await state.read(jobKey(jobId));
  if (!stored) throw new NotFoundError(`job ${jobId} not found in ${state.describe('jobs/')}`, { jobId });
  return { job: parseJob(JSON.parse(stored.body.toString('utf8')), state.describe(jobKey(jobId))), etag: stored.etag };
}

/**
 * Applies `change` to the current job and writes it with If-Match, re-reading on conflict. A terminal
 * status is written once: a change to a finished job is refused.
 */
export async function updateJob(state: StateStore, jobId: string, change: (job: Job) => Job): Promise<Job> {
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

/** Appends an event; keys sort by time, and a random suffix keeps two events in one millisecond apart. */
export async function appendEvent(state: StateStore, jobId: string, type: JobEventType, data: { [key: string]: Json } = {}): Promise<JobEvent> {
  const at = new Date().toISOString();
  const id = randomBytes(4).toString('hex');
  const event: JobEvent = { id, jobId, type, at, data };
  await state.create(jobKey(jobId, `events/${at.replace(/[:.]/g, '')}-${id}.json`), JSON.stringify(event));
  return event;
}

export async function listJobEvents(state: StateStore, jobId: string): Promise<JobEvent[]> {
  const events: JobEvent[] = [];
  for await (const key of state.list(jobKey(jobId, 'events/'))) {
    const stored = await state.read(key);
    if (stored) events.push(parseJobEvent(JSON.parse(stored.body.toString('utf8')), key));
  }
  return events;
}

/** Job ids, newest first. */
export async function listJobIds(state: StateStore): Promise<string[]> {
  const ids = new Set<string>();
  for await (const key of state.list('jobs/')) {
    const id = key.split('/')[1];
    if (id && key === jobKey(id)) ids.add(id);
  }
  return [...ids].sort().reverse();
}

export function newJobId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

import { JobId } from '../model/identifiers';
import { randomBytes } from 'node:crypto';
import { Json } from '../model/fields';
import { JobEvent, JobEventType, parseJobEvent } from '../model/jobEvent';
import { StateStore } from '../ports/StateStore';
import { listRecords } from './listRecords';
import { jobEventKey, jobEventsPrefix } from './stateKeys';

/** Appends an event; keys sort by time, and a random suffix keeps two events in one millisecond apart. */
export async function appendEvent(state: StateStore, jobId: JobId, type: JobEventType, data: { [key: string]: Json } = {}): Promise<JobEvent> {
  const at = new Date().toISOString();
  const id = randomBytes(4).toString('hex');
  const event: JobEvent = { id, jobId, type, at, data };
  await state.create(jobEventKey(jobId, at, id), JSON.stringify(event));
  return event;
}

export async function listJobEvents(state: StateStore, jobId: JobId): Promise<JobEvent[]> {
  return listRecords(state, jobEventsPrefix(jobId), parseJobEvent);
}

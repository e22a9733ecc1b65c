import { DataMapper, parseDataMappers } from './dataMapper';
import { InputError } from './errors';
import { expectArray, expectInteger, expectNonEmptyString, expectOneOf, expectRecord, expectString } from './fields';
import { ETag, JobId, StateKey, parseETag, parseJobId, parseStateKey } from './identifiers';
import { Settings, parseSettings } from './settings';

export const RUNNING_STATUSES = ['QUEUED', 'FINDING', 'AWAITING_APPROVAL', 'FORGETTING', 'VERIFYING', 'CLEANING_UP'] as const;
export const TERMINAL_STATUSES = [
  'COMPLETED',
  'COMPLETED_CLEANUP_FAILED',
  /** Ran to the end, but some match fits no column of any mapper it targets: it stays in the queue. */
  'UNAPPLIED_MATCHES',
  'FIND_FAILED',
  'FORGET_FAILED',
  'FORGET_PARTIALLY_FAILED',
  'VERIFY_FAILED',
  'REJECTED',
  'CANCELLED',
  'FAILED',
] as const;
export type RunningStatus = (typeof RUNNING_STATUSES)[number];
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];
export type JobStatus = RunningStatus | TerminalStatus;
const ALL_STATUSES: readonly JobStatus[] = [...RUNNING_STATUSES, ...TERMINAL_STATUSES];

export function isTerminal(status: JobStatus): status is TerminalStatus {
  return (TERMINAL_STATUSES as readonly string[]).includes(status);
}

export interface JobCounters {
  matchIds: number;
  matchesSkipped: number;
  /** Queue items whose match applied to no column of any mapper they target. */
  matchesUnapplied: number;
  queries: number;
  queriesFailed: number;
  bytesScanned: number;
  objectsFound: number;
  objectsUpdated: number;
  objectsUnchanged: number;
  objectsMissing: number;
  objectsFailed: number;
  rowsDeleted: number;
  versionsDeleted: number;
  matchesLeft: number;
}

/** What the object results add up to: the report's totals and a finished job's notification. */
export type ObjectTotals = Pick<JobCounters, 'objectsFound' | 'objectsUpdated' | 'objectsUnchanged' | 'objectsMissing' | 'objectsFailed' | 'rowsDeleted' | 'versionsDeleted'>;

export const ZERO_COUNTERS: JobCounters = {
  matchIds: 0,
  matchesSkipped: 0,
  matchesUnapplied: 0,
  queries: 0,
  queriesFailed: 0,
  bytesScanned: 0,
  objectsFound: 0,
  objectsUpdated: 0,
  objectsUnchanged: 0,
  objectsMissing: 0,
  objectsFailed: 0,
  rowsDeleted: 0,
  versionsDeleted: 0,
  matchesLeft: 0,
};

/** The queue batches a job took, each at the version it read (so cleanup removes only those items). */
export interface QueueSnapshotEntry {
  key: StateKey;
  etag: ETag;
  items: number;
}

export interface Job {
  id: JobId;
  status: JobStatus;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
  /** Who started it: the OS user locally, the caller's identity on AWS. */
  createdBy: string;
  settings: Settings;
  mappers: DataMapper[];
  queue: QueueSnapshotEntry[];
  counters: JobCounters;
  /** Set by `job cancel`; the coordinator ends the job CANCELLED at its next step. */
  cancelRequested?: boolean;
  /** Why a job ended in a failed status (no match IDs). */
  failure?: string;
}

export function parseJob(input: unknown, where = 'job.json'): Job {
  const record = expectRecord(input, where);
  const countersIn = expectRecord(record.counters, `${where}.counters`);
  const counters = { ...ZERO_COUNTERS };
  for (const key of Object.keys(ZERO_COUNTERS) as Array<keyof JobCounters>) {
    if (countersIn[key] !== undefined) counters[key] = expectInteger(countersIn[key], `${where}.counters.${key}`, 0, Number.MAX_SAFE_INTEGER);
  }
  const queue = expectArray(record.queue, `${where}.queue`).map((entry, i) => {
    const e = expectRecord(entry, `${where}.queue[${i}]`);
    return {
      key: parseStateKey(e.key, `${where}.queue[${i}].key`),
      etag: parseETag(e.etag, `${where}.queue[${i}].etag`),
      items: expectInteger(e.items, `${where}.queue[${i}].items`, 0, Number.MAX_SAFE_INTEGER),
    };
  });
  const job: Job = {
    id: parseJobId(record.id, `${where}.id`),
    status: expectOneOf(record.status, ALL_STATUSES, `${where}.status`),
    createdAt: expectNonEmptyString(record.createdAt, `${where}.createdAt`),
    updatedAt: expectNonEmptyString(record.updatedAt, `${where}.updatedAt`),
    createdBy: expectString(record.createdBy, `${where}.createdBy`),
    settings: parseSettings(record.settings, `${where}.settings`),
    mappers: parseDataMappers(record.mappers, `${where}.mappers`),
    queue,
    counters,
  };
  if (record.finishedAt !== undefined) job.finishedAt = expectNonEmptyString(record.finishedAt, `${where}.finishedAt`);
  if (record.cancelRequested === true) job.cancelRequested = true;
  if (record.failure !== undefined) job.failure = expectString(record.failure, `${where}.failure`);
  return job;
}


import { JobId, parseJobId } from './identifiers';
import { Json, expectNonEmptyString, expectOneOf, expectRecord } from './fields';

export const JOB_EVENT_TYPES = [
  'JobStarted',
  'FindStarted',
  'MatchesSkipped',
  // One per skipped match, as lethe wrote them before MatchesSkipped: still read in older jobs' events.
  'MatchSkipped',
  'QuerySucceeded',
  'QueryFailed',
  'CoverageProven',
  'FindFinished',
  'PlanWritten',
  'JobApproved',
  'JobRejected',
  'ForgetStarted',
  'ObjectUpdated',
  'ObjectUnchanged',
  'ObjectMissing',
  'ObjectFailed',
  'MessageRejected',
  'ForgetFinished',
  'VerifyStarted',
  'VerifyFinished',
  'CleanupFinished',
  'CleanupFailed',
  'ReportWritten',
  'CancelRequested',
  'JobResumed',
  'JobFinished',
  'Notified',
  'NotificationFailed',
] as const;
export type JobEventType = (typeof JOB_EVENT_TYPES)[number];

/** jobs/<jobId>/events/<ts>-<id>.json: append-only. `data` holds hashes and counts, never match IDs. */
export interface JobEvent {
  id: string;
  jobId: JobId;
  type: JobEventType;
  at: string;
  data: { [key: string]: Json };
}

export function parseJobEvent(input: unknown, where = 'event'): JobEvent {
  const r = expectRecord(input, where);
  return {
    id: expectNonEmptyString(r.id, `${where}.id`),
    jobId: parseJobId(r.jobId, `${where}.jobId`),
    type: expectOneOf(r.type, JOB_EVENT_TYPES, `${where}.type`),
    at: expectNonEmptyString(r.at, `${where}.at`),
    // Events are written by lethe itself from JSON-safe values; the record check guards the shape.
    data: expectRecord(r.data ?? {}, `${where}.data`) as { [key: string]: Json },
  };
}

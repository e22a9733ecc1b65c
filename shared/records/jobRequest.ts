import { InputError } from '../model/errors';
import { expectNonEmptyString, expectRecord } from '../model/fields';
import { JobId, StateKey, parseJobId } from '../model/identifiers';
import { StateStore } from '../ports/StateStore';
import { REQUESTS_PREFIX, jobRequestKey } from './stateKeys';

/**
 * requests/<ts>-<jobId>.json: asks the stack to run the find task for a job (start, or go on after
 * approval). Operators write it instead of calling ecs:RunTask, whose command overrides IAM cannot
 * restrict; the find task reads only the job id from it, so a request cannot change what runs.
 */
export interface JobRequest {
  jobId: JobId;
  requestedBy: string;
  requestedAt: string;
}

/** Writes a request for the job (create only: a request is never overwritten) and returns its key. */
export async function writeJobRequest(state: StateStore, jobId: JobId, requestedBy: string, now = new Date()): Promise<StateKey> {
  const request: JobRequest = { jobId, requestedBy, requestedAt: now.toISOString() };
  const key = jobRequestKey(request.jobId, request.requestedAt);
  await state.create(key, JSON.stringify(request));
  return key;
}

/** `field` names where the key came from (the find task's LETHE_REQUEST_KEY), for the error. */
export async function readJobRequest(state: StateStore, key: StateKey, field: string): Promise<JobRequest> {
  if (!key.startsWith(REQUESTS_PREFIX)) throw new InputError(`job request ${key}: not under ${REQUESTS_PREFIX}`, { field });
  const stored = await state.read(key);
  if (!stored) throw new InputError(`job request ${state.describe(key)} does not exist`, { field });
  const r = expectRecord(JSON.parse(stored.body.toString('utf8')), key);
  return {
    jobId: parseJobId(r.jobId, `${key}.jobId`),
    requestedBy: expectNonEmptyString(r.requestedBy, `${key}.requestedBy`),
    requestedAt: expectNonEmptyString(r.requestedAt, `${key}.requestedAt`),
  };
}

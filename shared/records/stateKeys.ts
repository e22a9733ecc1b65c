import { createHash } from 'node:crypto';
import { JobId, ObjectUri, StateKey, isJobId, parseStateKey } from '../model/identifiers';

/**
 * Every key of the state store (DESIGN.md, "State store layout"), spelled once. Records, cleanup,
 * the CLI, the console and the infra program's IAM scopes and lifecycle rules all build keys here,
 * so a prefix cleanup deletes is the prefix the writer wrote.
 */
export const QUEUE_PREFIX = parseStateKey('queue/');
export const JOBS_PREFIX = parseStateKey('jobs/');
export const CONFIG_PREFIX = parseStateKey('config/');
export const KEYS_PREFIX = parseStateKey('keys/');
export const ATHENA_RESULTS_PREFIX = parseStateKey('athena-results/');
export const TMP_PREFIX = parseStateKey('tmp/');
/** aws: job requests from the CLI and console; an EventBridge rule on this prefix runs the find task. */
export const REQUESTS_PREFIX = parseStateKey('requests/');

/** The whole store: describe(STATE_ROOT) says where the state is. */
export const STATE_ROOT = parseStateKey('');

/** The single-job lock (conditional create). */
export const LOCK_KEY = parseStateKey('lock.json');
/** The generated HMAC key; local mode, and aws mode when no SSM parameter is configured. */
export const HMAC_KEY_KEY = parseStateKey(`${KEYS_PREFIX}hmac.key`);
/** The mapper config the Pulumi program writes for the tasks (LETHE_CONFIG_KEY's default). */
export const CONFIG_KEY = parseStateKey(`${CONFIG_PREFIX}lethe.json`);

const QUEUE_BATCH_SUFFIX = '.jsonl';
const JOB_FILE = 'job.json';

export function queueBatchKey(batchId: string): StateKey {
  return parseStateKey(`${QUEUE_PREFIX}${batchId}${QUEUE_BATCH_SUFFIX}`);
}

export function isQueueBatchKey(key: StateKey): boolean {
  return key.startsWith(QUEUE_PREFIX) && key.endsWith(QUEUE_BATCH_SUFFIX);
}

/** A batch id is letters, digits, _ and -: item ids are `<batchId>.<n>`, and `/` would nest the key. */
const QUEUE_BATCH_ID = /^[A-Za-z0-9_-]+$/;

/** The batch id of a well-formed batch key, or undefined (docs/queue-format.md). */
export function queueBatchIdOf(key: StateKey): string | undefined {
  if (!isQueueBatchKey(key)) return undefined;
  const batchId = key.slice(QUEUE_PREFIX.length, -QUEUE_BATCH_SUFFIX.length);
  return QUEUE_BATCH_ID.test(batchId) ? batchId : undefined;
}

/** A job's folder; `jobSegment` is a job id, or a placeholder in a location template. */
function jobFolder(jobSegment: string): string {
  return `${JOBS_PREFIX}${jobSegment}/`;
}

export function jobPrefix(jobId: JobId): StateKey {
  return parseStateKey(jobFolder(jobId));
}

export function jobKey(jobId: JobId): StateKey {
  return parseStateKey(`${jobPrefix(jobId)}${JOB_FILE}`);
}

/** The job id a `jobs/<jobId>/job.json` key names, or undefined for any other key. */
export function jobIdOfJobKey(key: StateKey): JobId | undefined {
  const id = key.slice(JOBS_PREFIX.length).split('/')[0];
  return id !== undefined && isJobId(id) && key === jobKey(id) ? id : undefined;
}

export function jobEventsPrefix(jobId: JobId): StateKey {
  return parseStateKey(`${jobPrefix(jobId)}events/`);
}

/** Keys sort by time; the event id keeps two events of one millisecond apart. */
export function jobEventKey(jobId: JobId, at: string, eventId: string): StateKey {
  return parseStateKey(`${jobEventsPrefix(jobId)}${at.replace(/[:.]/g, '')}-${eventId}.json`);
}

export function objectResultsPrefix(jobId: JobId): StateKey {
  return parseStateKey(`${jobPrefix(jobId)}objects/`);
}

/** The object URI is hashed: it may be longer than a key allows and holds characters keys should not. */
export function objectResultKey(jobId: JobId, object: ObjectUri): StateKey {
  return parseStateKey(`${objectResultsPrefix(jobId)}${createHash('sha256').update(object).digest('hex')}.json`);
}

function manifestsFolder(jobSegment: string): string {
  return `${jobFolder(jobSegment)}manifests/`;
}

export function manifestsPrefix(jobId: JobId): StateKey {
  return parseStateKey(manifestsFolder(jobId));
}

/** The manifests location with the Athena projection's `${job_id}` and `${mapper_id}` (infra/glueTables.ts). */
export const MANIFESTS_LOCATION_TEMPLATE = `${manifestsFolder('${job_id}')}\${mapper_id}/`;

/** The Athena manifest table reads job and mapper from this path (infra/glueTables.ts projects it). */
export function mapperManifestPrefix(jobId: JobId, mapperId: string): StateKey {
  return parseStateKey(`${manifestsPrefix(jobId)}${mapperId}/`);
}

/**
 * One part of a mapper's manifest: the find writes a part per chunk of the queue, so no process
 * holds a large queue's manifest whole; Athena's manifest table reads every file under the folder.
 */
export function manifestPartKey(jobId: JobId, mapperId: string, part: number): StateKey {
  return parseStateKey(`${mapperManifestPrefix(jobId, mapperId)}matches-${partNumber(part)}.jsonl`);
}

/** Every queue item's match accounted for (mappers and columns, or why not), by HMAC, in parts. */
export function matchAccountsPrefix(jobId: JobId): StateKey {
  return parseStateKey(`${jobPrefix(jobId)}matches/`);
}

export function matchAccountsKey(jobId: JobId, part: number): StateKey {
  return parseStateKey(`${matchAccountsPrefix(jobId)}${partNumber(part)}.jsonl`);
}

/** Zero-padded so parts list in the order they were written. */
function partNumber(part: number): string {
  return String(part).padStart(6, '0');
}

export function matchSetsPrefix(jobId: JobId): StateKey {
  return parseStateKey(`${jobPrefix(jobId)}matchsets/`);
}

export function matchSetsKey(jobId: JobId, mapperId: string): StateKey {
  return parseStateKey(`${matchSetsPrefix(jobId)}${mapperId}.json`);
}

export function planKey(jobId: JobId): StateKey {
  return parseStateKey(`${jobPrefix(jobId)}plan.json`);
}

export function verificationKey(jobId: JobId): StateKey {
  return parseStateKey(`${jobPrefix(jobId)}verification.json`);
}

export type ReportFormat = 'json' | 'html';

export function reportKey(jobId: JobId, format: ReportFormat): StateKey {
  return parseStateKey(`${jobPrefix(jobId)}report.${format}`);
}

/** Keys sort by time; the job id keeps two requests of one millisecond apart. */
export function jobRequestKey(jobId: JobId, at: string): StateKey {
  return parseStateKey(`${REQUESTS_PREFIX}${at.replace(/[:.]/g, '')}-${jobId}.json`);
}

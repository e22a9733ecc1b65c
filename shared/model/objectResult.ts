import { InputError } from './errors';
import { ETag, JobId, ObjectUri, parseETag, parseJobId, parseObjectUri } from './identifiers';
import { expectInteger, expectNonEmptyString, expectOneOf, expectRecord, expectStringArray, isRecord } from './fields';

export const OBJECT_OUTCOMES = ['updated', 'unchanged', 'missing', 'failed'] as const;
/**
 * updated: rewritten without the matching rows. unchanged: no matching row at the version read (already
 * clean, or rewritten by an earlier delivery). missing: gone, and every mapper ignores that. failed: see
 * error. updated, unchanged and missing also mean the older versions are gone when a mapper asks.
 */
export type ObjectOutcome = (typeof OBJECT_OUTCOMES)[number];

export interface ObjectVersionRef {
  etag: ETag;
  versionId?: string;
  size: number;
}

/** jobs/<jobId>/objects/<sha256 of object>.json: the idempotency record of one object in one job. */
export interface ObjectResult {
  jobId: JobId;
  /** Every mapper whose matches the rewrite applied, sorted. */
  mapperIds: string[];
  object: ObjectUri;
  outcome: ObjectOutcome;
  source?: ObjectVersionRef;
  /**
   * The version lethe wrote. On a failed record: an earlier attempt replaced the object and a later
   * step (deleting the older versions) failed, so a retry only has that step left.
   */
  output?: ObjectVersionRef;
  /**
   * SHA-256 of the rewrite's bytes, recorded before the replace: a delivery killed (or cut off)
   * between the replace and its result leaves the next one the proof that the object it finds is
   * this rewrite, so it is counted updated with these rows rather than unchanged.
   */
  outputSha256?: string;
  rowsBefore?: number;
  rowsAfter?: number;
  rowsDeleted?: number;
  versionsDeleted?: number;
  /** What the rewrite could not keep physically (INT96 written as INT64, REQUIRED as OPTIONAL...). */
  physicalChanges?: string[];
  attempts: number;
  durationMs: number;
  finishedAt: string;
  error?: string;
}

export function isFinalOutcome(outcome: ObjectOutcome): boolean {
  return outcome !== 'failed';
}

function parseVersionRef(input: unknown, where: string): ObjectVersionRef {
  const record = expectRecord(input, where);
  return {
    etag: parseETag(record.etag, `${where}.etag`),
    ...(typeof record.versionId === 'string' ? { versionId: record.versionId } : {}),
    size: expectInteger(record.size, `${where}.size`, 0, Number.MAX_SAFE_INTEGER),
  };
}

export function parseObjectResult(input: unknown, where = 'object result'): ObjectResult {
  const r = expectRecord(input, where);
  const count = (key: string) => (r[key] === undefined ? undefined : expectInteger(r[key], `${where}.${key}`, 0, Number.MAX_SAFE_INTEGER));
  const result: ObjectResult = {
    jobId: parseJobId(r.jobId, `${where}.jobId`),
    mapperIds: expectStringArray(r.mapperIds, `${where}.mapperIds`),
    object: parseObjectUri(r.object, `${where}.object`),
    outcome: expectOneOf(r.outcome, OBJECT_OUTCOMES, `${where}.outcome`),
    attempts: expectInteger(r.attempts, `${where}.attempts`, 0, 1_000_000),
    durationMs: expectInteger(r.durationMs, `${where}.durationMs`, 0, Number.MAX_SAFE_INTEGER),
    finishedAt: expectNonEmptyString(r.finishedAt, `${where}.finishedAt`),
  };
  if (isRecord(r.source)) result.source = parseVersionRef(r.source, `${where}.source`);
  if (isRecord(r.output)) result.output = parseVersionRef(r.output, `${where}.output`);
  for (const key of ['rowsBefore', 'rowsAfter', 'rowsDeleted', 'versionsDeleted'] as const) {
    const value = count(key);
    if (value !== undefined) result[key] = value;
  }
  if (r.outputSha256 !== undefined) result.outputSha256 = expectSha256(r.outputSha256, `${where}.outputSha256`);
  if (r.physicalChanges !== undefined) result.physicalChanges = expectStringArray(r.physicalChanges, `${where}.physicalChanges`);
  if (typeof r.error === 'string') result.error = r.error;
  return result;
}

function expectSha256(value: unknown, where: string): string {
  if (typeof value !== 'string' || !/^[0-9a-f]{64}$/.test(value)) throw new InputError(`${where}: expected a hex SHA-256`);
  return value;
}

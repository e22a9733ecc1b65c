import { ETag, JobId, ObjectUri } from '../model/identifiers';
import { ConflictError } from '../model/errors';
import { ObjectResult, isFinalOutcome, parseObjectResult } from '../model/objectResult';
import { StateStore } from '../ports/StateStore';
import { listRecords } from './listRecords';
import { objectResultKey, objectResultsPrefix } from './stateKeys';

export async function readObjectResult(state: StateStore, jobId: JobId, object: ObjectUri): Promise<{ result: ObjectResult; etag: ETag } | undefined> {
  const key = objectResultKey(jobId, object);
  const stored = await state.read(key);
  return stored ? { result: parseObjectResult(JSON.parse(stored.body.toString('utf8')), key), etag: stored.etag } : undefined;
}

/** An object's result record as one writer last read or wrote it: its ETag, none when there was no record. */
export interface SeenResultRecord {
  etag: ETag | undefined;
}

/**
 * Writes an object's result. A final result (updated, unchanged, missing) is never overwritten: a
 * second delivery that raced the first keeps the first's record. A failed attempt's record is replaced.
 * A writer that passes `seen` (the record as it last left it, never a final one) writes on that
 * version at once, so only a record someone changed since costs a read; `seen` then follows the write.
 */
export async function writeObjectResult(state: StateStore, result: ObjectResult, seen?: SeenResultRecord): Promise<ObjectResult> {
  const key = objectResultKey(result.jobId, result.object);
  const body = JSON.stringify(result, null, 2);
  const write = async (etag: ETag | undefined) => {
    const written = etag === undefined ? await state.create(key, body) : await state.replace(key, body, etag);
    if (seen) seen.etag = written;
  };
  if (seen) {
    try {
      await write(seen.etag);
      return result;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  for (;;) {
    const existing = await readObjectResult(state, result.jobId, result.object);
    if (existing && isFinalOutcome(existing.result.outcome)) return existing.result;
    try {
      await write(existing?.etag);
      return result;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
}

/**
 * Records a failed attempt. What an earlier attempt of this object did or was about to do (the version
 * it wrote, the digest of its rewrite, the rows it deleted) is kept, so a retry can tell its own
 * replace from someone else's write.
 */
export async function recordFailedAttempt(state: StateStore, attempt: Pick<ObjectResult, 'jobId' | 'mapperIds' | 'object' | 'attempts' | 'error'>): Promise<ObjectResult> {
  const previous = (await readObjectResult(state, attempt.jobId, attempt.object))?.result;
  const kept = previous?.output || previous?.outputSha256
    ? {
        source: previous.source,
        output: previous.output,
        outputSha256: previous.outputSha256,
        rowsBefore: previous.rowsBefore,
        rowsAfter: previous.rowsAfter,
        rowsDeleted: previous.rowsDeleted,
        physicalChanges: previous.physicalChanges,
      }
    : {};
  return writeObjectResult(state, { ...kept, ...attempt, outcome: 'failed', durationMs: 0, finishedAt: new Date().toISOString() });
}

export async function listObjectResults(state: StateStore, jobId: JobId): Promise<ObjectResult[]> {
  return listRecords(state, objectResultsPrefix(jobId), parseObjectResult);
}

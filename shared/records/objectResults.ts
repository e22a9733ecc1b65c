import { ConflictError } from '../model/errors';
import { ObjectResult, isFinalOutcome, parseObjectResult } from '../model/objectResult';
import { StateStore } from '../ports/StateStore';
import { listRecords } from './listRecords';
import { objectResultKey, objectResultsPrefix } from './stateKeys';

export async function readObjectResult(state: StateStore, jobId: string, object: string): Promise<{ result: ObjectResult; etag: string } | undefined> {
  const key = objectResultKey(jobId, object);
  const stored = await state.read(key);
  return stored ? { result: parseObjectResult(JSON.parse(stored.body.toString('utf8')), key), etag: stored.etag } : undefined;
}

/**
 * Writes an object's result. A final result (updated, unchanged, missing) is never overwritten: a
 * second delivery that raced the first keeps the first's record. A failed attempt's record is replaced.
 */
export async function writeObjectResult(state: StateStore, result: ObjectResult): Promise<ObjectResult> {
  const key = objectResultKey(result.jobId, result.object);
  for (;;) {
    const existing = await readObjectResult(state, result.jobId, result.object);
    if (existing && isFinalOutcome(existing.result.outcome)) return existing.result;
    try {
      if (existing) await state.replace(key, JSON.stringify(result, null, 2), existing.etag);
      else await state.create(key, JSON.stringify(result, null, 2));
      return result;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
}

export async function listObjectResults(state: StateStore, jobId: string): Promise<ObjectResult[]> {
  return listRecords(state, objectResultsPrefix(jobId), parseObjectResult);
}

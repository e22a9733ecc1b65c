import { JobId } from '../model/identifiers';
import { expectArray, expectBoolean, expectRecord, expectString } from '../model/fields';
import { StateStore } from '../ports/StateStore';
import { putStateValue } from './putStateValue';
import { verificationKey } from './stateKeys';

/** jobs/<jobId>/verification.json: the find run again after the rewrites. */
export interface Verification {
  ran: boolean;
  objectsWithMatches: string[];
}

export async function writeVerification(state: StateStore, jobId: JobId, verification: Verification): Promise<void> {
  await putStateValue(state, verificationKey(jobId), JSON.stringify(verification));
}

/** A job that never reached verification reads as not run. */
export async function readVerification(state: StateStore, jobId: JobId): Promise<Verification> {
  const key = verificationKey(jobId);
  const stored = await state.read(key);
  if (!stored) return { ran: false, objectsWithMatches: [] };
  const r = expectRecord(JSON.parse(stored.body.toString('utf8')), key);
  return { ran: expectBoolean(r.ran, `${key}.ran`), objectsWithMatches: expectArray(r.objectsWithMatches, `${key}.objectsWithMatches`).map((o, i) => expectString(o, `${key}.objectsWithMatches[${i}]`)) };
}

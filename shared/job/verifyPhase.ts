import { Job } from '../model/job';
import { Ports } from '../ports/Ports';
import { readQueueSnapshot } from '../queue/deletionQueue';
import { Verification } from '../report/buildReport';
import { putStateValue } from '../state/putStateValue';
import { hashQueueItems } from '../find/buildManifest';
import { prepareFinds, runFinds } from './findPhase';
import { appendEvent, jobKey } from './jobStore';
import { expectArray, expectBoolean, expectRecord, expectString } from '../model/fields';

/**
 * Runs the find again over the lake as it is now. Any object still holding a match is listed; the
 * job fails verification unless that object's rewrite is already counted as failed.
 */
export async function runVerifyPhase(ports: Ports, job: Job, hmacKey: Buffer): Promise<Verification> {
  await appendEvent(ports.state, job.id, 'VerifyStarted', {});
  const items = await readQueueSnapshot(ports.state, job.queue);
  const outcome = await runFinds(ports, job, await prepareFinds(ports, job, hashQueueItems(items, hmacKey)));
  const verification: Verification = { ran: true, objectsWithMatches: outcome.objects.map((o) => o.object) };
  await putStateValue(ports.state, jobKey(job.id, 'verification.json'), JSON.stringify(verification));
  await appendEvent(ports.state, job.id, 'VerifyFinished', { objectsWithMatches: verification.objectsWithMatches.length });
  return verification;
}

export async function readVerification(ports: Pick<Ports, 'state'>, jobId: string): Promise<Verification> {
  const stored = await ports.state.read(jobKey(jobId, 'verification.json'));
  if (!stored) return { ran: false, objectsWithMatches: [] };
  const r = expectRecord(JSON.parse(stored.body.toString('utf8')), 'verification.json');
  return { ran: expectBoolean(r.ran, 'verification.json.ran'), objectsWithMatches: expectArray(r.objectsWithMatches, 'verification.json.objectsWithMatches').map((o, i) => expectString(o, `verification.json.objectsWithMatches[${i}]`)) };
}

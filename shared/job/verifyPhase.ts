import { Job } from '../model/job';
import { Ports } from '../ports/Ports';
import { readQueueSnapshot } from '../queue/deletionQueue';
import { appendEvent } from '../records/jobEvents';
import { Verification, writeVerification } from '../records/verification';
import { hashQueueItems } from '../find/buildManifest';
import { prepareFinds, runFinds } from './findPhase';

/**
 * Runs the find again over the lake as it is now. Any object still holding a match is listed; the
 * job fails verification unless that object's rewrite is already counted as failed.
 */
export async function runVerifyPhase(ports: Ports, job: Job, hmacKey: Buffer): Promise<Verification> {
  await appendEvent(ports.state, job.id, 'VerifyStarted', {});
  const items = await readQueueSnapshot(ports.state, job.queue);
  const outcome = await runFinds(ports, job, await prepareFinds(ports, job, hashQueueItems(items, hmacKey)));
  // Two mappers over one object both find it: it is one object still holding a match.
  const verification: Verification = { ran: true, objectsWithMatches: [...new Set(outcome.objects.map((o) => o.object))] };
  await writeVerification(ports.state, job.id, verification);
  await appendEvent(ports.state, job.id, 'VerifyFinished', { objectsWithMatches: verification.objectsWithMatches.length });
  return verification;
}

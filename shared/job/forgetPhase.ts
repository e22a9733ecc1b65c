import { retryWithBackoff, sleep } from '../concurrency/retryWithBackoff';
import { listObjectResults } from '../records/objectResults';
import { Job } from '../model/job';
import { isFinalOutcome } from '../model/objectResult';
import { Ports } from '../ports/Ports';
import { JobPlan } from '../records/jobPlan';
import { countObjectResults } from '../report/countObjectResults';
import { appendEvent } from '../records/jobEvents';
import { readJob } from '../records/jobRecord';
import { recordDeadLetters } from './recordDeadLetters';

export interface ForgetProgress {
  total: number;
  remaining: number;
}

/**
 * Hands the plan's unfinished objects to the fleet and waits for the queue to drain. Objects with a
 * final result (from before a restart) are not sent again. Returns the object counters.
 */
export async function runForgetPhase(ports: Ports, job: Job, plan: JobPlan, pollIntervalMs: number, onProgress: (p: ForgetProgress) => void): Promise<ReturnType<typeof countObjectResults>> {
  const done = new Set((await listObjectResults(ports.state, job.id)).filter((r) => isFinalOutcome(r.outcome)).map((r) => r.object));
  const pending = plan.objects.filter((o) => !done.has(o.object));
  await appendEvent(ports.state, job.id, 'ForgetStarted', { objects: plan.objects.length, pending: pending.length });
  await ports.queue.send(pending.map((o) => ({ jobId: job.id, object: o.object, mapperIds: o.mapperIds })));
  await ports.fleet.scale(Math.min(pending.length, job.settings.fleetMaxTasks));
  try {
    for (;;) {
      // A throttled poll (SQS GetQueueAttributes) is transient: retried, it must not fail the job.
      const depth = await retryWithBackoff(() => ports.queue.depth(), { retries: 5, baseDelayMs: 200 });
      const remaining = depth.visible + depth.inFlight;
      onProgress({ total: plan.objects.length, remaining });
      if (remaining === 0) break;
      await ports.fleet.check();
      if ((await readJob(ports.state, job.id)).job.cancelRequested) break;
      await (ports.queue.waitUntilEmpty ? ports.queue.waitUntilEmpty(pollIntervalMs) : sleep(pollIntervalMs));
    }
  } finally {
    await ports.fleet.scale(0);
  }
  await recordDeadLetters(ports.state, job.id, plan, await ports.queue.drainDeadLetters());
  const counters = countObjectResults(plan, await listObjectResults(ports.state, job.id));
  await appendEvent(ports.state, job.id, 'ForgetFinished', { ...counters });
  return counters;
}

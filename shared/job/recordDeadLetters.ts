import { JobId } from '../model/identifiers';
import { isFinalOutcome } from '../model/objectResult';
import { WorkMessage } from '../model/workMessage';
import { StateStore } from '../ports/StateStore';
import { appendEvent } from '../records/jobEvents';
import { JobPlan } from '../records/jobPlan';
import { readObjectResult, writeObjectResult } from '../records/objectResults';

/**
 * Records the job's dead-lettered messages, which the queue hands over once: each planned object they
 * name that has no final result gets a failed result saying why and an ObjectFailed event, so the
 * report names it (a worker that died mid-object, or a lost lease, records nothing of its own).
 * Messages of other jobs, or for objects outside the plan, were quarantined and have their event.
 */
export async function recordDeadLetters(state: StateStore, jobId: JobId, plan: JobPlan, messages: readonly WorkMessage[]): Promise<number> {
  const planned = new Set(plan.objects.map((o) => o.object));
  let recorded = 0;
  for (const message of messages) {
    if (message.jobId !== jobId || !planned.has(message.object)) continue;
    const previous = (await readObjectResult(state, jobId, message.object))?.result;
    if (previous && isFinalOutcome(previous.outcome)) continue;
    const attempts = previous?.attempts ?? 0;
    const error = `dead-lettered after ${attempts} recorded attempt(s)${previous?.error ? `; last error: ${previous.error}` : ''}`;
    await writeObjectResult(state, {
      ...(previous ?? {}),
      jobId,
      mapperIds: [...message.mapperIds].sort(),
      object: message.object,
      outcome: 'failed',
      attempts,
      durationMs: previous?.durationMs ?? 0,
      finishedAt: new Date().toISOString(),
      error,
    });
    await appendEvent(state, jobId, 'ObjectFailed', { mapperIds: message.mapperIds, object: message.object, error, attempts, deadLettered: true });
    recorded++;
  }
  return recorded;
}

import { Job } from '../model/job';
import { WorkMessage } from '../model/workMessage';

/**
 * Why a work message does not fit its job, or undefined when it does. A worker acts only on what the
 * job's own plan asked for: the message's mappers must be the job's and exactly the mappers the
 * plan lists for that object, so a stray or forged message can never rewrite anything.
 */
export function checkWorkMessage(message: WorkMessage, job: Job, plannedMappers: ReadonlyMap<string, readonly string[]> | undefined): string | undefined {
  if (job.status !== 'FORGETTING') return `job ${job.id} is ${job.status}, not FORGETTING`;
  const unknown = message.mapperIds.filter((id) => !job.mappers.some((m) => m.id === id));
  if (unknown.length > 0) return `mapper ${unknown.map((id) => `"${id}"`).join(', ')} is not a mapper of job ${job.id}`;
  if (!plannedMappers) return `job ${job.id} has no plan`;
  const planned = plannedMappers.get(message.object);
  if (!planned) return `${message.object} is not in the plan of job ${job.id}`;
  const given = [...message.mapperIds].sort();
  if (given.length !== planned.length || given.some((id, i) => id !== planned[i])) {
    return `the plan of job ${job.id} has ${message.object} for mappers ${planned.join(', ')}, not ${given.join(', ')}`;
  }
  return undefined;
}

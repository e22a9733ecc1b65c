import { runJob } from '../shared/job/runJob';
import { startJob } from '../shared/job/startJob';
import { loadHmacKey } from '../shared/privacy/loadHmacKey';
import { timeOnce } from './measure';
import { BenchLethe, enqueueIds } from './openBenchLethe';

export interface TimedJob {
  seconds: number;
  cpuSeconds: number;
  rowsDeleted: number;
  objectsUpdated: number;
}

/** Enqueues `ids`, then times one job from start to COMPLETED (find, forget, verify, cleanup, report). */
export async function timeLocalJob(lethe: BenchLethe, ids: readonly string[]): Promise<TimedJob> {
  const { ports } = lethe.local;
  await enqueueIds(lethe, ids);
  const hmacKey = await loadHmacKey(ports.state, lethe.config.settings);
  const cpuBefore = process.cpuUsage();
  let rowsDeleted = 0;
  let objectsUpdated = 0;
  const seconds = await timeOnce(async () => {
    const job = await startJob(ports.state, lethe.config, 'bench');
    const ended = await runJob(ports, job.id, { hmacKey, pollIntervalMs: 100 });
    if (ended.status !== 'COMPLETED') throw new Error(`bench job ended ${ended.status}: ${ended.failure ?? ''}`);
    rowsDeleted = ended.counters.rowsDeleted;
    objectsUpdated = ended.counters.objectsUpdated;
  });
  const cpu = process.cpuUsage(cpuBefore);
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, rowsDeleted, objectsUpdated };
}

import { DuckDBConnection } from '@duckdb/node-api';
import { errorMessage } from '../model/errors';
import { Job, isTerminal } from '../model/job';
import { Ports } from '../ports/Ports';
import { ReceivedWork } from '../ports/WorkQueue';
import { appendEvent } from '../records/jobEvents';
import { readJob } from '../records/jobRecord';
import { forgetObject } from './forgetObject';
import { MatchSession, openMatchSession } from './matchSession';
import { writeObjectResult } from '../records/objectResults';

export interface ForgetWorkerOptions {
  /** Objects this process rewrites at once; each slot has its own DuckDB connection. */
  concurrency: number;
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
  connect: () => Promise<DuckDBConnection>;
  /** Stops taking new messages; the current ones finish. */
  signal: AbortSignal;
  /** Exit after the queue has been empty this long (the Fargate task's LETHE_IDLE_EXIT_SECONDS). */
  idleExitSeconds?: number;
  /** Seconds a failed object waits before its next delivery. */
  retryDelaySeconds?: (receiveCount: number) => number;
}

/** The forget worker: takes work messages until stopped, rewriting one object per message. */
export async function runForgetWorker(ports: Ports, options: ForgetWorkerOptions): Promise<void> {
  await Promise.all(Array.from({ length: options.concurrency }, () => runSlot(ports, options)));
}

async function runSlot(ports: Ports, options: ForgetWorkerOptions): Promise<void> {
  let session: MatchSession | undefined;
  const jobs = new Map<string, { job: Job; readAt: number }>();
  let idleSince = Date.now();
  try {
    while (!options.signal.aborted) {
      const [delivery] = await ports.queue.receive({ max: 1, visibilitySeconds: options.visibilityTimeoutSeconds, waitSeconds: 1 });
      if (!delivery) {
        if (options.idleExitSeconds !== undefined && Date.now() - idleSince > options.idleExitSeconds * 1000) return;
        continue;
      }
      idleSince = Date.now();
      const job = await currentJob(ports, jobs, delivery.message.jobId);
      if (isTerminal(job.status) || job.cancelRequested) {
        await ports.queue.ack(delivery.receipt);
        continue;
      }
      if (!session || session.jobId !== job.id || session.mapperId !== delivery.message.mapperId) {
        session?.connection.closeSync();
        session = undefined;
        session = await openMatchSession(ports.state, options.connect, job.id, delivery.message.mapperId).catch(async (error: unknown) => {
          await recordFailure(ports, delivery, error, options);
          return undefined;
        });
        if (!session) continue;
      }
      await handleDelivery(ports, delivery, job, session, options);
    }
  } finally {
    session?.connection.closeSync();
  }
}

async function handleDelivery(ports: Ports, delivery: ReceivedWork, job: Job, session: MatchSession, options: ForgetWorkerOptions): Promise<void> {
  const { message } = delivery;
  const mapper = job.mappers.find((m) => m.id === message.mapperId);
  // The heartbeat keeps a long rewrite hidden from other workers; it stops when the work does.
  const heartbeat = setInterval(() => {
    ports.queue.setVisibility(delivery.receipt, options.visibilityTimeoutSeconds).catch(() => undefined);
  }, (options.visibilityTimeoutSeconds * 1000) / 3);
  try {
    if (!mapper) throw new Error(`mapper "${message.mapperId}" is not in job ${job.id}`);
    const result = await forgetObject(ports, message, mapper, session, delivery.receiveCount);
    const type = result.outcome === 'updated' ? 'ObjectUpdated' : result.outcome === 'missing' ? 'ObjectMissing' : 'ObjectUnchanged';
    await appendEvent(ports.state, job.id, type, { mapperId: result.mapperId, object: result.object, rowsDeleted: result.rowsDeleted ?? 0 });
    await ports.queue.ack(delivery.receipt);
  } catch (error) {
    await recordFailure(ports, delivery, error, options);
  } finally {
    clearInterval(heartbeat);
  }
}

/** Records a failed attempt and makes the message visible again after a backoff; the queue dead-letters it after maxReceiveCount. */
async function recordFailure(ports: Ports, delivery: ReceivedWork, error: unknown, options: ForgetWorkerOptions): Promise<void> {
  const { message } = delivery;
  await writeObjectResult(ports.state, {
    jobId: message.jobId,
    mapperId: message.mapperId,
    object: message.object,
    outcome: 'failed',
    attempts: delivery.receiveCount,
    durationMs: 0,
    finishedAt: new Date().toISOString(),
    error: errorMessage(error),
  });
  if (delivery.receiveCount >= options.maxReceiveCount) {
    await appendEvent(ports.state, message.jobId, 'ObjectFailed', { mapperId: message.mapperId, object: message.object, error: errorMessage(error), attempts: delivery.receiveCount });
  }
  const delay = options.retryDelaySeconds?.(delivery.receiveCount) ?? Math.min(2 ** delivery.receiveCount, 60);
  await ports.queue.setVisibility(delivery.receipt, delay);
}

/** The job, re-read at most every few seconds so a cancel reaches workers quickly. */
async function currentJob(ports: Ports, cache: Map<string, { job: Job; readAt: number }>, jobId: string): Promise<Job> {
  const cached = cache.get(jobId);
  if (cached && Date.now() - cached.readAt < 3000) return cached.job;
  const { job } = await readJob(ports.state, jobId);
  cache.set(jobId, { job, readAt: Date.now() });
  return job;
}

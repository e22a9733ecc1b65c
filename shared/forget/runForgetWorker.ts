import { JobId } from '../model/identifiers';
import { NotFoundError, TransientError, errorMessage } from '../model/errors';
import { Json } from '../model/fields';
import { Job, isTerminal } from '../model/job';
import { Ports } from '../ports/Ports';
import { ReceivedWork } from '../ports/WorkQueue';
import { readJobPlan } from '../records/jobPlan';
import { appendEvent } from '../records/jobEvents';
import { readJob } from '../records/jobRecord';
import { recordFailedAttempt } from '../records/objectResults';
import { checkWorkMessage } from './checkWorkMessage';
import { classifyError } from '../concurrency/classifyError';
import { forgetObject } from './forgetObject';
import { MatchSession, openMatchSession } from './matchSession';
import { MatchTableSource } from '../duckdb/matchTables';

export interface ForgetWorkerOptions {
  /** Objects this process rewrites at once; each slot has its own DuckDB connection. */
  concurrency: number;
  /** The process's match tables, built once per job and shared by the slots. */
  matchTables: MatchTableSource;
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
  /** Stops taking new messages; the current ones finish. */
  signal: AbortSignal;
  /** Exit after the queue has been empty this long (the Fargate task's LETHE_IDLE_EXIT_SECONDS). */
  idleExitSeconds?: number;
  /** Seconds a failed object waits before its next delivery. */
  retryDelaySeconds?: (receiveCount: number) => number;
  /** What the worker says outside any job (a message naming a job that does not exist). */
  log?: (record: { message: string; [key: string]: Json }) => void;
}

/** A job as this worker last read it, and its plan's mappers by object (read once: a plan never changes). */
interface KnownJob {
  job: Job;
  readAt: number;
  plannedMappers?: Map<string, string[]>;
}

/**
 * The forget worker: takes work messages until stopped, rewriting one object per message. A slot
 * that fails (its state cannot be written) stops the other slots and the worker rejects with the
 * failure, so its supervisor sees one dead worker, not a worker quietly running short of slots.
 */
export async function runForgetWorker(ports: Ports, options: ForgetWorkerOptions): Promise<void> {
  const stop = new AbortController();
  const signal = AbortSignal.any([options.signal, stop.signal]);
  const slots = Array.from({ length: options.concurrency }, () =>
    runSlot(ports, { ...options, signal }).catch((error: unknown) => {
      stop.abort();
      throw error;
    }),
  );
  const failed = (await Promise.allSettled(slots)).find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
}

async function runSlot(ports: Ports, options: ForgetWorkerOptions): Promise<void> {
  let session: MatchSession | undefined;
  const jobs = new Map<string, KnownJob>();
  let idleSince = Date.now();
  try {
    while (!options.signal.aborted) {
      // The signal ends an empty wait at once: the fleet's scale(0) at the end of the forget waits for it.
      const [delivery] = await ports.queue.receive({ max: 1, visibilitySeconds: options.visibilityTimeoutSeconds, waitSeconds: 1, signal: options.signal });
      if (!delivery) {
        if (options.idleExitSeconds !== undefined && Date.now() - idleSince > options.idleExitSeconds * 1000) return;
        continue;
      }
      idleSince = Date.now();
      const { message } = delivery;
      const known = await currentJob(ports, jobs, message.jobId);
      if (!known) {
        await ports.queue.quarantine(delivery);
        options.log?.({ message: `work message quarantined: job ${message.jobId} not found`, jobId: message.jobId, object: message.object, mapperIds: message.mapperIds });
        continue;
      }
      const { job } = known;
      if (isTerminal(job.status) || job.cancelRequested) {
        await ports.queue.ack(delivery.receipt);
        continue;
      }
      const problem = checkWorkMessage(message, job, await plannedMappers(ports, known));
      if (problem) {
        await ports.queue.quarantine(delivery);
        await appendEvent(ports.state, job.id, 'MessageRejected', { object: message.object, mapperIds: message.mapperIds, reason: problem });
        continue;
      }
      if (!session || session.jobId !== job.id || session.mapperIds.join() !== [...message.mapperIds].sort().join()) {
        session?.connection.closeSync();
        session = undefined;
        session = await openMatchSession(options.matchTables, job.id, message.mapperIds).catch(async (error: unknown) => {
          await recordFailure(ports, delivery, error, options);
          return undefined;
        });
        if (!session) continue;
      }
      await handleDelivery(ports, delivery, job, session, options).catch(async (error: unknown) => {
        // The slot dies; its message goes back at once for a replacement, not after the visibility
        // timeout. Best effort: the failure the supervisor must see is the one rethrown.
        await ports.queue.setVisibility(delivery.receipt, 0).catch(() => undefined);
        throw error;
      });
    }
  } finally {
    session?.connection.closeSync();
  }
}

async function handleDelivery(ports: Ports, delivery: ReceivedWork, job: Job, session: MatchSession, options: ForgetWorkerOptions): Promise<void> {
  const { message } = delivery;
  // checkWorkMessage has made sure every mapper is the job's.
  const mappers = job.mappers.filter((m) => message.mapperIds.includes(m.id));
  // The heartbeat keeps a long rewrite hidden from other workers; it stops when the work does. When
  // it fails, the message may already be another worker's: the lease aborts this delivery's work.
  const lease = new AbortController();
  const heartbeat = setInterval(() => {
    ports.queue.setVisibility(delivery.receipt, options.visibilityTimeoutSeconds).catch((error: unknown) => {
      lease.abort(new TransientError(`lease on ${message.object} lost: ${errorMessage(error)}`, { object: message.object, jobId: job.id }));
    });
  }, (options.visibilityTimeoutSeconds * 1000) / 3);
  try {
    const result = await forgetObject(ports, message, mappers, session, delivery.receiveCount, lease.signal);
    const type = result.outcome === 'updated' ? 'ObjectUpdated' : result.outcome === 'missing' ? 'ObjectMissing' : 'ObjectUnchanged';
    await appendEvent(ports.state, job.id, type, { mapperIds: result.mapperIds, object: result.object, rowsDeleted: result.rowsDeleted ?? 0, versionsDeleted: result.versionsDeleted ?? 0, attempts: result.attempts });
    await ports.queue.ack(delivery.receipt);
  } catch (error) {
    if (lease.signal.aborted) {
      // Nothing recorded and no ack: the redelivery owns the object and its result.
      options.log?.({ message: errorMessage(lease.signal.reason), jobId: job.id, object: message.object });
      return;
    }
    await recordFailure(ports, delivery, error, options);
  } finally {
    clearInterval(heartbeat);
  }
}

/**
 * Records a failed attempt. A permanent error (classifyError) fails the object now: the message is
 * acknowledged, since every redelivery would download and rewrite the same bytes to the same end. A
 * transient one makes the message visible again after a backoff with jitter; the queue dead-letters
 * it after maxReceiveCount.
 */
async function recordFailure(ports: Ports, delivery: ReceivedWork, error: unknown, options: ForgetWorkerOptions): Promise<void> {
  const { message } = delivery;
  await recordFailedAttempt(ports.state, { jobId: message.jobId, mapperIds: [...message.mapperIds].sort(), object: message.object, attempts: delivery.receiveCount, error: errorMessage(error) });
  const permanent = classifyError(error) === 'permanent';
  if (permanent || delivery.receiveCount >= options.maxReceiveCount) {
    await appendEvent(ports.state, message.jobId, 'ObjectFailed', { mapperIds: message.mapperIds, object: message.object, error: errorMessage(error), attempts: delivery.receiveCount, permanent });
  }
  if (permanent) return ports.queue.ack(delivery.receipt);
  const delay = options.retryDelaySeconds?.(delivery.receiveCount) ?? Math.min(2 ** delivery.receiveCount, 60);
  await ports.queue.setVisibility(delivery.receipt, Math.round(delay / 2 + Math.random() * (delay / 2)));
}

/** The job, re-read at most every few seconds so a cancel reaches workers quickly; undefined when there is no such job. */
async function currentJob(ports: Ports, cache: Map<string, KnownJob>, jobId: JobId): Promise<KnownJob | undefined> {
  const cached = cache.get(jobId);
  if (cached && Date.now() - cached.readAt < 3000) return cached;
  try {
    const { job } = await readJob(ports.state, jobId);
    const known: KnownJob = { job, readAt: Date.now(), ...(cached?.plannedMappers ? { plannedMappers: cached.plannedMappers } : {}) };
    cache.set(jobId, known);
    return known;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

async function plannedMappers(ports: Ports, known: KnownJob): Promise<Map<string, string[]> | undefined> {
  if (!known.plannedMappers) {
    const plan = await readJobPlan(ports.state, known.job.id);
    if (!plan) return undefined;
    known.plannedMappers = new Map(plan.objects.map((o) => [o.object, o.mapperIds]));
  }
  return known.plannedMappers;
}

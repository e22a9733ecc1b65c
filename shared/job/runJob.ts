import { InputError, errorMessage } from '../model/errors';
import { JobId } from '../model/identifiers';
import { Job, TerminalStatus, isTerminal } from '../model/job';
import { Ports } from '../ports/Ports';
import { runFindStep } from './findPhase';
import { finishJob } from './finishJob';
import { notifyJob, planCounts } from './notifyJob';
import { ForgetProgress, runForgetPhase } from './forgetPhase';
import { readJobPlan } from '../records/jobPlan';
import { appendEvent } from '../records/jobEvents';
import { readJob, updateJob } from '../records/jobRecord';
import { readVerification } from '../records/verification';
import { runVerifyPhase } from './verifyPhase';
import { decideOutcome } from './decideOutcome';
import { listObjectResults } from '../records/objectResults';
import { isFinalOutcome } from '../model/objectResult';
import { sweepScratch } from '../scratch/sweepScratch';

export interface JobProgress {
  job: Job;
  forget?: ForgetProgress;
}

export interface RunJobOptions {
  hmacKey: Buffer;
  pollIntervalMs?: number;
  onProgress?: (progress: JobProgress) => void;
}

/**
 * Drives a job from its current status to a terminal one, or to AWAITING_APPROVAL. Every step is
 * recorded before the next begins, so after a crash the same call picks up where the job was. A job
 * cancelled while QUEUED is returned as it is: the cancel ends it (run `lethe job cancel` again if
 * that command died before it could).
 */
export async function runJob(ports: Ports, jobId: JobId, options: RunJobOptions): Promise<Job> {
  const progress = options.onProgress ?? (() => {});
  // A run killed earlier (this job's, or one before it) may have left copies of objects as they were.
  await sweepScratch(ports.tempDirectory);
  for (;;) {
    const { job } = await readJob(ports.state, jobId);
    progress({ job });
    if (isTerminal(job.status) || job.status === 'AWAITING_APPROVAL') return job;
    if (job.cancelRequested) {
      // A cancel whose conditional write found the job QUEUED ends it itself (on AWS the find task may
      // never come); two enders would race each other's report and terminal write.
      if (job.status === 'QUEUED') return job;
      return finishJob(ports, job, 'CANCELLED', await readVerification(ports.state, job.id));
    }
    try {
      await runStep(ports, job, options, progress);
    } catch (error) {
      const failedStatus: TerminalStatus = job.status === 'FINDING' ? 'FIND_FAILED' : 'FAILED';
      const { job: current } = await readJob(ports.state, jobId);
      if (isTerminal(current.status)) throw error;
      return finishJob(ports, current, failedStatus, await readVerification(ports.state, job.id), `${job.status}: ${errorMessage(error)}`);
    }
  }
}

async function runStep(ports: Ports, current: Job, options: RunJobOptions, progress: (p: JobProgress) => void): Promise<void> {
  let job = current;
  switch (job.status) {
    case 'QUEUED':
      return claimForFind(ports, job.id);
    case 'FINDING': {
      const found = await runFindStep(ports, job, options.hmacKey);
      job = found.job;
      const { plan } = found;
      const next = plan.objects.length === 0 ? 'CLEANING_UP' : job.settings.requireApproval ? 'AWAITING_APPROVAL' : 'FORGETTING';
      await updateJob(ports.state, job.id, (j) => ({
        ...j,
        status: next,
        counters: {
          ...j.counters,
          matchesSkipped: plan.matchesSkipped,
          matchesUnapplied: plan.matchesUnapplied,
          queries: plan.mappers.reduce((sum, m) => sum + m.queries, 0),
          bytesScanned: plan.bytesScanned,
          objectsFound: plan.objects.length,
        },
      }));
      if (next === 'AWAITING_APPROVAL') {
        await appendEvent(ports.state, job.id, 'PlanWritten', { objects: plan.objects.length });
        await notifyJob(ports, { kind: 'awaitingApproval', jobId: job.id, plan: planCounts(plan) });
      }
      return;
    }
    case 'FORGETTING': {
      const plan = await readJobPlan(ports.state, job.id);
      if (!plan) throw new Error(`job ${job.id} has no plan.json`);
      const counters = await runForgetPhase(ports, job, plan, options.pollIntervalMs ?? 500, (forget) => progress({ job, forget }));
      const { job: current } = await readJob(ports.state, job.id);
      if (current.cancelRequested) return;
      await updateJob(ports.state, job.id, (j) => ({ ...j, status: j.settings.verify ? 'VERIFYING' : 'CLEANING_UP', counters: { ...j.counters, ...counters } }));
      return;
    }
    case 'VERIFYING': {
      const verification = await runVerifyPhase(ports, job);
      await updateJob(ports.state, job.id, (j) => ({ ...j, status: 'CLEANING_UP', counters: { ...j.counters, matchesLeft: verification.objectsWithMatches.length } }));
      return;
    }
    case 'CLEANING_UP': {
      const verification = await readVerification(ports.state, job.id);
      const plan = await readJobPlan(ports.state, job.id);
      const done = new Set((await listObjectResults(ports.state, job.id)).filter((r) => isFinalOutcome(r.outcome)).map((r) => r.object));
      const failedObjects = (plan?.objects ?? []).map((o) => o.object).filter((o) => !done.has(o));
      const { status, causes } = decideOutcome({ counters: job.counters, failedObjects, objectsWithMatches: verification.objectsWithMatches });
      await finishJob(ports, job, status, verification, causes.length > 0 ? causes.join('; ') : undefined);
      return;
    }
    case 'AWAITING_APPROVAL':
      return;
    default:
      throw new Error(`job ${job.id}: no step for status ${job.status}`);
  }
}

/**
 * The coordinator's claim on a QUEUED job, decided by the conditional write as cancel's is: a cancel
 * recorded first keeps the job QUEUED for that cancel to end, and one that has ended it already is
 * no error here (the next read returns the CANCELLED job).
 */
async function claimForFind(ports: Ports, jobId: JobId): Promise<void> {
  try {
    await updateJob(ports.state, jobId, (j) => (j.cancelRequested ? j : { ...j, status: 'FINDING' }));
  } catch (error) {
    if (error instanceof InputError && isTerminal((await readJob(ports.state, jobId)).job.status)) return;
    throw error;
  }
}

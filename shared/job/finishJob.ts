import { retryWithBackoff } from '../concurrency/retryWithBackoff';
import { errorMessage } from '../model/errors';
import { Job, TerminalStatus } from '../model/job';
import { Ports } from '../ports/Ports';
import { removeProcessedItems } from '../queue/deletionQueue';
import { appendEvent } from '../records/jobEvents';
import { releaseJobLock } from '../records/jobLock';
import { readJobPlan } from '../records/jobPlan';
import { readMatchAccounts } from '../records/matchAccounts';
import { updateJob } from '../records/jobRecord';
import { putStateValue } from '../records/putStateValue';
import { manifestsPrefix, matchSetsPrefix, reportKey } from '../records/stateKeys';
import { Verification } from '../records/verification';
import { buildReport } from '../report/buildReport';
import { renderReportHtml } from '../report/renderReportHtml';
import { scratchRemoved } from '../scratch/removeScratchLater';
import { sweepScratch } from '../scratch/sweepScratch';
import { notifyJob } from './notifyJob';

/**
 * Ends a job: a job that ran to the end (COMPLETED or UNAPPLIED_MATCHES) removes the queue items it
 * applied, keeping those that applied nowhere for someone to fix or remove; every job's manifests
 * (the only clear match IDs besides the queue) are deleted; the report is written; the terminal
 * status is written once; the lock is released. Safe to run again after a crash part-way.
 */
export async function finishJob(ports: Ports, job: Job, wanted: TerminalStatus, verification: Verification, failure?: string): Promise<Job> {
  let status: TerminalStatus = wanted;
  const cleanupErrors: string[] = [];
  // The forget slots of this process may still be removing their scratch: old versions of objects.
  await scratchRemoved();
  const plan = await readJobPlan(ports.state, job.id);
  if (status === 'COMPLETED' || status === 'UNAPPLIED_MATCHES') {
    const unapplied = new Set<string>();
    if (plan && plan.matchesUnapplied > 0) {
      for await (const account of readMatchAccounts(ports.state, job.id)) if (account.appliedTo.length === 0) unapplied.add(account.item);
    }
    await retryCleanupStep(() => removeProcessedItems(ports.state, job.queue, unapplied)).catch((error: unknown) => cleanupErrors.push(`queue: ${errorMessage(error)}`));
  }
  for (const prefix of [manifestsPrefix(job.id), matchSetsPrefix(job.id)]) {
    try {
      await retryCleanupStep(async () => {
        for await (const key of ports.state.list(prefix)) await ports.state.delete(key);
      });
    } catch (error) {
      cleanupErrors.push(`${prefix}: ${errorMessage(error)}`);
    }
  }
  if (cleanupErrors.length > 0) {
    await appendEvent(ports.state, job.id, 'CleanupFailed', { errors: cleanupErrors });
    if (status === 'COMPLETED') status = 'COMPLETED_CLEANUP_FAILED';
  } else {
    await appendEvent(ports.state, job.id, 'CleanupFinished', {});
  }
  const finishedAt = new Date().toISOString();
  const ended: Job = { ...job, status, finishedAt, ...(failure ? { failure } : {}) };
  const report = await buildReport(ports.state, ended, plan, verification, cleanupErrors);
  await putStateValue(ports.state, reportKey(job.id, 'json'), JSON.stringify(report, null, 2));
  await putStateValue(ports.state, reportKey(job.id, 'html'), renderReportHtml(report));
  await appendEvent(ports.state, job.id, 'ReportWritten', { report: ports.state.describe(reportKey(job.id, 'html')) });
  const final = await updateJob(ports.state, job.id, (current) => ({ ...current, status, finishedAt, counters: { ...current.counters, ...report.totals }, ...(failure ? { failure } : {}) }));
  await releaseJobLock(ports.state, job.id);
  await ports.fleet.scale(0);
  await sweepScratch(ports.tempDirectory);
  await appendEvent(ports.state, job.id, 'JobFinished', { status });
  await notifyJob(ports, {
    kind: 'finished',
    jobId: job.id,
    status,
    totals: report.totals,
    failedObjects: report.objects.filter((o) => o.outcome === 'failed').map((o) => o.object),
    ...(failure ? { failure } : {}),
    report: ports.state.describe(reportKey(job.id, 'html')),
  });
  return final;
}

/**
 * Each cleanup step can run again from its start (what it already removed is simply not there), so a
 * transient fault past the SDK's own retries (a listing cut off, a throttled delete) repeats the
 * step instead of ending a job that erased everything as COMPLETED_CLEANUP_FAILED.
 */
function retryCleanupStep(step: () => Promise<void>): Promise<void> {
  return retryWithBackoff(step, { retries: 4, baseDelayMs: 200 });
}

import { JobId } from '../model/identifiers';
import { sleep } from '../concurrency/retryWithBackoff';
import { Job, isTerminal } from '../model/job';
import { StateStore } from '../ports/StateStore';
import { readJob } from '../records/jobRecord';

/** Watches a job another process drives (the ECS find task) until it ends or waits for approval. */
export async function followJob(state: StateStore, jobId: JobId, onUpdate: (job: Job) => void, pollIntervalMs = 2000): Promise<Job> {
  for (;;) {
    const { job } = await readJob(state, jobId);
    onUpdate(job);
    if (isTerminal(job.status) || job.status === 'AWAITING_APPROVAL') return job;
    await sleep(pollIntervalMs);
  }
}

import { followJob } from '../job/followJob';
import { JobProgress, runJob } from '../job/runJob';
import { JobId } from '../model/identifiers';
import { Job } from '../model/job';
import { readJob } from '../records/jobRecord';
import { Runtime } from './Runtime';

export interface DriveJobOptions {
  /** Who asks: the aws find-task request names them. */
  requestedBy: string;
  /** aws: follow the find task until the job ends or awaits approval. Locally the job always runs here. */
  wait?: boolean;
  onProgress?: (progress: JobProgress) => void;
  /** aws: where the request that starts the find task was written. */
  onRequested?: (request: string) => void;
}

/**
 * Carries a job on to its end or to approval: here, where the local queue and workers live; or, on
 * AWS, in the find task, which a request in the state bucket starts (operators hold no ecs:RunTask).
 * Returns the job as it ended, paused, or (aws without `wait`) as just requested.
 */
export async function driveRuntimeJob(runtime: Runtime, jobId: JobId, options: DriveJobOptions): Promise<Job> {
  const { state } = runtime.ports;
  if (runtime.launchJob) {
    const request = await runtime.launchJob(jobId, options.requestedBy);
    options.onRequested?.(request);
    return options.wait ? followJob(state, jobId, (job) => options.onProgress?.({ job })) : (await readJob(state, jobId)).job;
  }
  return runJob(runtime.ports, jobId, { hmacKey: await runtime.hmacKey(), ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
}

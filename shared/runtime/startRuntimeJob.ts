import { currentUser } from '../job/currentUser';
import { JobProgress, runJob } from '../job/runJob';
import { startJob } from '../job/startJob';
import { Job } from '../model/job';
import { readJob } from '../records/jobRecord';
import { Runtime } from './Runtime';

export interface StartJobOptions {
  /** Who the job and the report name as its starter; the OS user when absent. */
  startedBy?: string;
  onProgress?: (progress: JobProgress) => void;
}

/**
 * The Node API's `lethe job start`: takes the queue into a new job and runs it here to its end or to
 * approval (local mode), or asks the stack's find task to run it and returns it as just started (aws).
 */
export async function startRuntimeJob(runtime: Runtime, options: StartJobOptions = {}): Promise<Job> {
  const startedBy = options.startedBy ?? currentUser();
  const job = await startJob(runtime.ports.state, runtime.config, startedBy);
  if (runtime.launchJob) {
    await runtime.launchJob(job.id, startedBy);
    return (await readJob(runtime.ports.state, job.id)).job;
  }
  return runJob(runtime.ports, job.id, { hmacKey: await runtime.hmacKey(), ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
}

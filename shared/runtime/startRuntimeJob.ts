import { currentUser } from '../job/currentUser';
import { adoptJob, findOrphanedJob } from '../job/jobCommands';
import { startJob } from '../job/startJob';
import { Job } from '../model/job';
import { Runtime } from './Runtime';
import { DriveJobOptions, driveRuntimeJob } from './driveRuntimeJob';

export interface StartJobOptions extends Partial<Omit<DriveJobOptions, 'requestedBy'>> {
  /** Who the job and the report name as its starter; the OS user when absent. */
  startedBy?: string;
  /** Once the job exists, before it runs; `resumed` for a job whose driving process died, taken over. */
  onStarted?: (job: Job, resumed: boolean) => void;
}

/**
 * `lethe job start`, for the CLI and the Node API alike: takes the queue into a new job (or, locally,
 * resumes one whose process died) and drives it (driveRuntimeJob). On AWS the find task resumes its
 * own job, so a dead CLI process orphans nothing.
 */
export async function startRuntimeJob(runtime: Runtime, options: StartJobOptions = {}): Promise<Job> {
  const { startedBy = currentUser(), onStarted, ...drive } = options;
  const orphan = runtime.launchJob ? undefined : await findOrphanedJob(runtime.ports);
  if (orphan) await adoptJob(runtime.ports, orphan.id);
  const job = orphan ?? (await startJob(runtime.ports.state, runtime.config, startedBy));
  onStarted?.(job, orphan !== undefined);
  return driveRuntimeJob(runtime, job.id, { ...drive, requestedBy: startedBy });
}

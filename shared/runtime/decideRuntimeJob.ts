import { currentUser } from '../job/currentUser';
import { approveJob, cancelJob, rejectJob } from '../job/jobCommands';
import { JobId } from '../model/identifiers';
import { Job } from '../model/job';
import { Runtime } from './Runtime';
import { DriveJobOptions, driveRuntimeJob } from './driveRuntimeJob';

export interface DecideJobOptions {
  /** Who decides, as the job's events record it; the OS user when absent. */
  by?: string;
}

export type ApproveJobOptions = DecideJobOptions & Partial<Omit<DriveJobOptions, 'requestedBy'>>;

/** `lethe job approve`: a job awaiting approval goes on to forget, driven as startRuntimeJob drives it. */
export async function approveRuntimeJob(runtime: Runtime, jobId: JobId, options: ApproveJobOptions = {}): Promise<Job> {
  const { by = currentUser(), ...drive } = options;
  await approveJob(runtime.ports, jobId, by);
  return driveRuntimeJob(runtime, jobId, { ...drive, requestedBy: by });
}

/** `lethe job reject`: a job awaiting approval ends REJECTED; the lake and the queue stay as they are. */
export function rejectRuntimeJob(runtime: Runtime, jobId: JobId, options: DecideJobOptions = {}): Promise<Job> {
  return rejectJob(runtime.ports, jobId, options.by ?? currentUser());
}

/** `lethe job cancel`: a job nothing drives ends CANCELLED now; a running one stops at its next step. */
export function cancelRuntimeJob(runtime: Runtime, jobId: JobId, options: DecideJobOptions = {}): Promise<Job> {
  return cancelJob(runtime.ports, jobId, options.by ?? currentUser());
}

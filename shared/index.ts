/**
 * lethe as a Node library (`import { openLocalRuntime, enqueue, startJob } from 'lethe'`): open a
 * runtime, queue match IDs, run a job, approve, reject or cancel it, read it and its report back.
 * The CLI's job commands are built on the same calls.
 */
export { openLocalRuntime } from './runtime/openLocalRuntime';
export { openAwsRuntime } from './runtime/openAwsRuntime';
export { openRuntime } from './runtime/openRuntime';
export type { Runtime, WorkerOptions } from './runtime/Runtime';
export type { LoadedConfig } from './runtime/loadConfigFile';
export { enqueue } from './runtime/enqueue';
export type { EnqueueOptions } from './runtime/enqueue';
export { startRuntimeJob as startJob } from './runtime/startRuntimeJob';
export type { StartJobOptions } from './runtime/startRuntimeJob';
export { approveRuntimeJob as approveJob, rejectRuntimeJob as rejectJob, cancelRuntimeJob as cancelJob } from './runtime/decideRuntimeJob';
export type { ApproveJobOptions, DecideJobOptions } from './runtime/decideRuntimeJob';
export { readRuntimeReport as readReport } from './runtime/readRuntimeReport';
export type { ReportTextFormat } from './runtime/readRuntimeReport';
export { parseJobId } from './model/identifiers';
export type { JobId } from './model/identifiers';
export type { JobProgress } from './job/runJob';
export { readJob, listJobIds } from './records/jobRecord';
export { listJobEvents } from './records/jobEvents';
export type { Job, JobStatus, JobCounters } from './model/job';
export type { JobEvent } from './model/jobEvent';
export type { Match } from './model/match';
export type { DeletionReport } from './report/deletionReport';
export { InputError, ConflictError, LetheError } from './model/errors';

/**
 * lethe as a Node library (`import { openLocalRuntime, enqueue, startJob } from 'lethe'`): open a
 * runtime, queue match IDs, run a job, read it back. The CLI, the tasks and the console are built on
 * the same calls.
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
export type { JobProgress } from './job/runJob';
export { readJob, listJobIds } from './records/jobRecord';
export { listJobEvents } from './records/jobEvents';
export type { Job, JobStatus, JobCounters } from './model/job';
export type { JobEvent } from './model/jobEvent';
export type { Match } from './model/match';
export type { DeletionReport } from './report/deletionReport';
export { InputError, ConflictError, LetheError } from './model/errors';

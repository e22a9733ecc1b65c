#!/usr/bin/env node
import { FIND_RUN_ENVIRONMENT, parseFindRunEnv } from '../shared/environment/awsEnvironment';
import { runJob } from '../shared/job/runJob';
import { startJob } from '../shared/job/startJob';
import { InputError, errorMessage } from '../shared/model/errors';
import { readJobRequest } from '../shared/records/jobRequest';
import { Runtime } from '../shared/runtime/Runtime';
import { openAwsRuntime } from '../shared/runtime/openAwsRuntime';

/**
 * The job coordinator (the find task on ECS). With LETHE_REQUEST_KEY (set by the EventBridge rule on
 * requests/, where `lethe job start`, `approve` and the console ask for a run) it drives the job that
 * request names; with LETHE_JOB_ID, that job; without either, it creates a job from the queue, so
 * the AWS console's "run task" starts one.
 * Exit 0 when the job ends COMPLETED or waits for approval, 2 for any other end, 1 for bad input.
 */
export async function main(env: NodeJS.ProcessEnv): Promise<number> {
  const runtime = await openAwsRuntime(env);
  try {
    return await coordinateJob(runtime, env);
  } finally {
    await runtime.close();
  }
}

async function coordinateJob({ ports, config, hmacKey }: Runtime, env: NodeJS.ProcessEnv): Promise<number> {
  const run = parseFindRunEnv(env);
  const jobId = run.requestKey
    ? (await readJobRequest(ports.state, run.requestKey, FIND_RUN_ENVIRONMENT.requestKey.name)).jobId
    : run.jobId ?? (await startJob(ports.state, config, run.startedBy ?? 'find task')).id;
  log({ message: 'job running', jobId });
  const job = await runJob(ports, jobId, {
    hmacKey: await hmacKey(),
    pollIntervalMs: 5000,
    onProgress: (progress) => {
      if (progress.forget) log({ message: 'forgetting', jobId, remaining: progress.forget.remaining, total: progress.forget.total });
    },
  });
  log({ message: 'job ended', jobId, status: job.status, counters: job.counters, ...(job.failure ? { failure: job.failure } : {}) });
  return job.status === 'COMPLETED' || job.status === 'AWAITING_APPROVAL' ? 0 : 2;
}

/** One JSON line per event, for CloudWatch Logs; never a match ID. */
function log(record: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ at: new Date().toISOString(), task: 'find', ...record })}\n`);
}

if (require.main === module) {
  main(process.env).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`lethe find: ${errorMessage(error)}\n`);
      process.exitCode = error instanceof InputError ? 1 : 2;
    },
  );
}

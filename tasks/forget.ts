#!/usr/bin/env node
import { runForgetWorker } from '../shared/forget/runForgetWorker';
import { InputError, errorMessage } from '../shared/model/errors';
import { scratchRemoved } from '../shared/scratch/removeScratchLater';
import { Runtime } from '../shared/runtime/Runtime';
import { openAwsRuntime } from '../shared/runtime/openAwsRuntime';

/**
 * The forget worker (the Fargate service's task): takes work messages until SIGTERM, which lets the
 * objects in hand finish (ECS waits stopTimeout before SIGKILL; an unfinished message becomes
 * visible again). With LETHE_IDLE_EXIT_SECONDS it also exits after that long with an empty queue.
 */
export async function main(env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<number> {
  const runtime = await openAwsRuntime(env);
  try {
    return await runWorker(runtime, signal);
  } finally {
    await runtime.close();
  }
}

/** The worker loop over a runtime (this task, and `lethe worker`). */
export async function runWorker(runtime: Runtime, signal: AbortSignal): Promise<number> {
  const { concurrency, idleExitSeconds } = runtime.workerOptions;
  log({ message: 'worker started', concurrency, ...(idleExitSeconds === undefined ? {} : { idleExitSeconds }) });
  await runForgetWorker(runtime.ports, { ...runtime.workerOptions, signal, log });
  await scratchRemoved();
  log({ message: signal.aborted ? 'worker stopped (SIGTERM)' : 'worker idle, exiting' });
  return 0;
}

function log(record: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ at: new Date().toISOString(), task: 'forget', ...record })}\n`);
}

if (require.main === module) {
  const stop = new AbortController();
  for (const name of ['SIGTERM', 'SIGINT'] as const) process.once(name, () => stop.abort());
  main(process.env, stop.signal).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`lethe forget: ${errorMessage(error)}\n`);
      process.exitCode = error instanceof InputError ? 1 : 2;
    },
  );
}

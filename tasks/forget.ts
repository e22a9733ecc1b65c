#!/usr/bin/env node
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { createAwsPorts } from '../shared/adapters/aws/createAwsPorts';
import { readStoredConfig } from '../shared/adapters/aws/readStoredConfig';
import { closeDuckDb, openDuckDb } from '../shared/duckdb/openDuckDb';
import { runForgetWorker } from '../shared/forget/runForgetWorker';
import { InputError, errorMessage } from '../shared/model/errors';
import { makeScratchDirectory } from '../shared/scratch/makeScratchDirectory';

/**
 * The forget worker (the Fargate service's task): takes work messages until SIGTERM, which lets the
 * objects in hand finish (ECS waits stopTimeout before SIGKILL; an unfinished message becomes
 * visible again). With LETHE_IDLE_EXIT_SECONDS it also exits after that long with an empty queue.
 */
export async function main(env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<number> {
  const ports = createAwsPorts(env);
  const { settings } = await readStoredConfig(ports.state, ports.config.configKey);
  const idleExitSeconds = parseIdleExit(env.LETHE_IDLE_EXIT_SECONDS);
  const scratch = await makeScratchDirectory(ports.tempDirectory, 'worker');
  const duckdb = await openDuckDb({ memoryLimit: settings.duckdbMemoryLimit, threads: settings.duckdbThreads, tempDirectory: path.join(scratch, 'duckdb') });
  log({ message: 'worker started', concurrency: settings.forgetConcurrency, ...(idleExitSeconds === undefined ? {} : { idleExitSeconds }) });
  try {
    await runForgetWorker(
      { ...ports, tempDirectory: scratch },
      {
        concurrency: settings.forgetConcurrency,
        visibilityTimeoutSeconds: settings.visibilityTimeoutSeconds,
        maxReceiveCount: settings.maxReceiveCount,
        connect: () => duckdb.instance.connect(),
        signal,
        log,
        ...(idleExitSeconds === undefined ? {} : { idleExitSeconds }),
      },
    );
  } finally {
    closeDuckDb(duckdb);
    await rm(scratch, { recursive: true, force: true });
  }
  log({ message: signal.aborted ? 'worker stopped (SIGTERM)' : 'worker idle, exiting' });
  return 0;
}

function parseIdleExit(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 0) throw new InputError(`LETHE_IDLE_EXIT_SECONDS: "${text}" is not a number of seconds`, { field: 'LETHE_IDLE_EXIT_SECONDS' });
  return seconds;
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

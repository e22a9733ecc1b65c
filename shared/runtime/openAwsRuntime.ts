import { rm } from 'node:fs/promises';
import path from 'node:path';
import { createAwsPorts } from '../adapters/aws/createAwsPorts';
import { lazyDuckDb } from '../duckdb/lazyDuckDb';
import { SharedMatchTables } from '../forget/matchSession';
import { writeJobRequest } from '../records/jobRequest';
import { makeScratchDirectory } from '../scratch/makeScratchDirectory';
import { Runtime } from './Runtime';
import { buildRuntime } from './buildRuntime';
import { readStoredConfig } from './readStoredConfig';
import { STATE_ROOT } from '../records/stateKeys';

/**
 * aws mode: the stack's wiring from the environment the Pulumi program sets on the task definitions
 * (or an operator's shell), the data mappers and settings it wrote to the state bucket, and the HMAC
 * key from its SSM parameter (never the state bucket, which auditors read). The scratch
 * folder is this process's own, so two processes on one machine never share DuckDB's spill files.
 */
export async function openAwsRuntime(env: Readonly<Record<string, string | undefined>> = process.env): Promise<Runtime> {
  const aws = createAwsPorts(env);
  let scratch: string | undefined;
  try {
    const stored = await readStoredConfig(aws.state, aws.config.configKey);
    const config = { ...stored, stateDir: aws.state.describe(STATE_ROOT), configPath: aws.state.describe(aws.config.configKey) };
    scratch = await makeScratchDirectory(aws.tempDirectory, 'runtime');
    const tempDirectory = scratch;
    const duckdb = lazyDuckDb({ memoryLimit: config.settings.duckdbMemoryLimit, threads: config.settings.duckdbThreads, tempDirectory: path.join(tempDirectory, 'duckdb') });
    return buildRuntime({
      mode: 'aws',
      ports: { ...aws, tempDirectory },
      config,
      connect: duckdb.connect,
      readHmacKey: aws.readHmacKey,
      matchTables: new SharedMatchTables(aws.state, duckdb.connect),
      ...(aws.config.idleExitSeconds === undefined ? {} : { idleExitSeconds: aws.config.idleExitSeconds }),
      launchJob: async (jobId, requestedBy) => aws.state.describe(await writeJobRequest(aws.state, jobId, requestedBy)),
      // The fleet is left as it is: a job another process drives may be using it.
      close: async () => {
        try {
          await aws.queries.close();
        } finally {
          await duckdb.close();
          await rm(tempDirectory, { recursive: true, force: true });
        }
      },
    });
  } catch (error) {
    await aws.queries.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
    throw error;
  }
}

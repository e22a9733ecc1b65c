/**
 * Runs a local job and kills its own process (SIGKILL: no cleanup, no finally) at the first replace
 * of an object: `before` it (after the rewrite was written and checked), or `after` it, once the
 * object holds the rewrite and before its result is recorded. Used by the crash tests.
 * Usage: node --import tsx test/support/crashAtReplace.ts <lethe.yaml> [before|after]
 */
import { runJob } from '../../shared/job/runJob';
import { startJob } from '../../shared/job/startJob';
import { openLocalRuntime } from '../../shared/runtime/openLocalRuntime';

async function crashAtFirstReplace(configPath: string, moment: string): Promise<void> {
  if (moment !== 'before' && moment !== 'after') throw new Error(`crashAtReplace: moment must be before or after, not ${moment}`);
  const { ports, config, hmacKey } = await openLocalRuntime(configPath);
  const replace = ports.lake.replace.bind(ports.lake);
  ports.lake.replace = async (...args) => {
    if (moment === 'after') await replace(...args);
    process.kill(process.pid, 'SIGKILL');
    throw new Error('unreachable after SIGKILL');
  };
  const job = await startJob(ports.state, config, 'crash-test');
  await runJob(ports, job.id, { hmacKey: await hmacKey(), pollIntervalMs: 50 });
}

crashAtFirstReplace(process.argv[2]!, process.argv[3] ?? 'before').catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(3);
});

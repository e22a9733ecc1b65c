/**
 * Runs a local job and kills its own process (SIGKILL: no cleanup, no finally) the moment a worker
 * is about to replace an object, after the rewrite was written and checked. Used by the crash test.
 * Usage: node --import tsx test/support/crashAtReplace.ts <lethe.yaml>
 */
import { runJob } from '../../shared/job/runJob';
import { startJob } from '../../shared/job/startJob';
import { openLocalRuntime } from '../../shared/runtime/openLocalRuntime';

async function crashAtFirstReplace(configPath: string): Promise<void> {
  const { ports, config, hmacKey } = await openLocalRuntime(configPath);
  ports.lake.replace = async () => {
    process.kill(process.pid, 'SIGKILL');
    throw new Error('unreachable after SIGKILL');
  };
  const job = await startJob(ports.state, config, 'crash-test');
  await runJob(ports, job.id, { hmacKey: await hmacKey(), pollIntervalMs: 50 });
}

crashAtFirstReplace(process.argv[2]!).catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(3);
});

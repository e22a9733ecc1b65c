/**
 * Runs a local job and kills its own process (SIGKILL: no cleanup, no finally) the moment a worker
 * is about to replace an object, after the rewrite was written and checked. Used by the crash test.
 * Usage: node --import tsx test/support/crashAtReplace.ts <lethe.yaml>
 */
import { createLocalPorts } from '../../shared/adapters/local/createLocalPorts';
import { runJob } from '../../shared/job/runJob';
import { startJob } from '../../shared/job/startJob';
import { loadHmacKey } from '../../shared/privacy/loadHmacKey';
import { loadConfigFile } from '../../tasks/loadConfigFile';

async function crashAtFirstReplace(configPath: string): Promise<void> {
  const config = await loadConfigFile(configPath);
  const local = await createLocalPorts(config.stateDir, config.settings);
  local.ports.lake.replace = async () => {
    process.kill(process.pid, 'SIGKILL');
    throw new Error('unreachable after SIGKILL');
  };
  const job = await startJob(local.ports.state, config, 'crash-test');
  await runJob(local.ports, job.id, { hmacKey: await loadHmacKey(local.ports.state, config.settings), pollIntervalMs: 50 });
}

crashAtFirstReplace(process.argv[2]!).catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(3);
});

import { createAwsPorts } from '../shared/adapters/aws/createAwsPorts';
import { readStoredConfig } from '../shared/adapters/aws/readStoredConfig';
import { errorMessage } from '../shared/model/errors';
import { writeJobRequest } from '../shared/records/jobRequest';
import { JOBS_PREFIX } from '../shared/records/stateKeys';
import { loadHmacKey } from '../shared/privacy/loadHmacKey';
import { CliContext } from '../tasks/cliContext';
import { ConsoleBackend, StateUnreachableError, checkStateFolder } from './consoleBackend';

/** Local mode: the CLI's own context (lethe.yaml, the state folder, in-process workers). */
export async function createLocalConsoleBackend(context: CliContext): Promise<ConsoleBackend> {
  const config = await context.loadConfig();
  const local = await context.ports();
  return {
    mode: 'local',
    ports: local.ports,
    config,
    hmacKey: () => context.hmacKey(),
    checkState: () => checkStateFolder(config.stateDir),
    // The context that opened the ports closes them (cli.ts closes it after every command).
    close: async () => {},
  };
}

/**
 * aws mode: the stack's outputs in the environment (LETHE_MODE=aws, LETHE_STATE_BUCKET, ...), the
 * operator's own AWS credentials, and the data mappers and settings the Pulumi program wrote to the
 * state bucket.
 */
export async function createAwsConsoleBackend(env: Readonly<Record<string, string | undefined>>): Promise<ConsoleBackend> {
  const ports = createAwsPorts(env);
  const config = await readStoredConfig(ports.state, ports.config.configKey);
  return {
    mode: 'aws',
    ports,
    config,
    hmacKey: () => loadHmacKey(ports.state, config.settings),
    // A request in the state bucket: the stack's EventBridge rule runs the find task (no ecs:RunTask here).
    launchJob: async (jobId, requestedBy) => ports.state.describe(await writeJobRequest(ports.state, jobId, requestedBy)),
    checkState: async () => {
      try {
        for await (const first of ports.state.list(JOBS_PREFIX)) {
          void first;
          break;
        }
      } catch (error) {
        throw new StateUnreachableError(ports.state.describe(''), errorMessage(error));
      }
    },
    // The fleet is left as it is: a job another process drives may be using it.
    close: () => ports.queries.close(),
  };
}

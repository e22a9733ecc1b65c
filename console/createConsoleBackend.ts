import { errorMessage } from '../shared/model/errors';
import { JOBS_PREFIX, STATE_ROOT } from '../shared/records/stateKeys';
import { Runtime } from '../shared/runtime/Runtime';
import { ConsoleBackend, StateUnreachableError, checkStateFolder } from './consoleBackend';

/**
 * The console over a runtime: locally lethe.yaml, the state folder and in-process workers; on AWS the
 * stack the environment names, with the operator's own credentials. Closing the console closes the
 * runtime (a second close by its opener waits for the first).
 */
export function createConsoleBackend(runtime: Runtime): ConsoleBackend {
  const { ports, config } = runtime;
  return {
    mode: runtime.mode,
    ports,
    config,
    hmacKey: runtime.hmacKey,
    ...(runtime.launchJob ? { launchJob: runtime.launchJob } : {}),
    checkState: runtime.mode === 'local' ? () => checkStateFolder(config.stateDir) : () => probeStateStore(runtime),
    close: runtime.close,
  };
}

/** A bucket that cannot be listed (credentials, name, network) makes every page say so. */
async function probeStateStore({ ports }: Runtime): Promise<void> {
  try {
    for await (const first of ports.state.list(JOBS_PREFIX)) {
      void first;
      break;
    }
  } catch (error) {
    throw new StateUnreachableError(ports.state.describe(STATE_ROOT), errorMessage(error));
  }
}

import { createConsoleBackend } from '../../console/createConsoleBackend';
import { startConsoleServer } from '../../console/server';
import { InputError } from '../../shared/model/errors';
import { CliContext } from '../cliContext';
import { STATE_ROOT } from '../../shared/records/stateKeys';

/**
 * lethe console: serves the web console on 127.0.0.1 until Ctrl-C. Local mode runs over lethe.yaml;
 * with LETHE_MODE=aws it runs over the stack named by the environment, with this shell's credentials.
 * Jobs started or approved here run in this process, as with `lethe job start`.
 */
export async function consoleCommand(context: CliContext, portText: string): Promise<void> {
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InputError(`--port ${portText}: expected a port number from 0 to 65535`);
  const backend = createConsoleBackend(await context.runtime());
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const server = await startConsoleServer({ backend, port, log }).catch(async (error: NodeJS.ErrnoException) => {
    await backend.close();
    throw error.code === 'EADDRINUSE' ? new InputError(`--port ${port}: already in use (pick another with --port)`) : error;
  });
  process.stdout.write(`lethe console (${backend.mode}, state ${backend.ports.state.describe(STATE_ROOT)})\nopen ${server.openUrl}\nCtrl-C stops it.\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  process.stderr.write('stopping: waiting for jobs this console drives to pause or end (Ctrl-C again to leave them; lethe job start resumes them)\n');
  process.once('SIGINT', () => process.exit(130));
  await server.close();
}

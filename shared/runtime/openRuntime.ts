import { AWS_ENVIRONMENT } from '../environment/awsEnvironment';
import { Runtime } from './Runtime';
import { openAwsRuntime } from './openAwsRuntime';
import { openLocalRuntime } from './openLocalRuntime';

type Env = Readonly<Record<string, string | undefined>>;

/** The one place the mode is decided: LETHE_MODE=aws means the stack the environment names. */
export function runtimeMode(env: Env): Runtime['mode'] {
  return env[AWS_ENVIRONMENT.mode.name] === 'aws' ? 'aws' : 'local';
}

/** Opens the runtime of the mode the environment says: the stack on AWS, else the local lethe.yaml at `configPath`. */
export function openRuntime(configPath: string, env: Env = process.env): Promise<Runtime> {
  return runtimeMode(env) === 'aws' ? openAwsRuntime(env) : openLocalRuntime(configPath);
}

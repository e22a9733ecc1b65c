import { AwsEnv, EnvironmentVariable, formatAwsEnv } from '../shared/environment/awsEnvironment';
import { CONFIG_KEY } from './resourceNames';

export { EnvironmentVariable } from '../shared/environment/awsEnvironment';

/** What the stack knows about itself; the rest of the task environment is fixed here. */
export type TaskWiring = Omit<AwsEnv, 'mode' | 'configKey' | 'tempDirectory' | 'idleExitSeconds' | 'endpointUrl'>;

/** The environment both task definitions carry, written through the contract the tasks parse. */
export function taskEnvironment(wiring: TaskWiring): EnvironmentVariable[] {
  // The root filesystem is read-only; /tmp is the task's ephemeral volume (containerDefinition.ts).
  return formatAwsEnv({ mode: 'aws', configKey: CONFIG_KEY, tempDirectory: '/tmp', ...wiring });
}

/** `VAR=value ...` for a shell, the same wiring the tasks get, so the CLI drives this stack. */
export function shellEnvironment(env: readonly EnvironmentVariable[]): string {
  return env.map((v) => `${v.name}=${shellQuote(v.value)}`).join(' ');
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:,@=-]*$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

import { EnvironmentVariable } from './taskEnvironment';

export interface ContainerSpec {
  name: string;
  image: string;
  entryPoint?: string[];
  command: string[];
  environment: EnvironmentVariable[];
  logGroup: string;
  region: string;
  /** Seconds ECS waits after SIGTERM: a worker finishes or releases its object. */
  stopTimeout: number;
}

/**
 * One container as ECS wants it. The root filesystem is read-only; /tmp is the task's ephemeral
 * volume, where DuckDB streams objects and spills.
 */
export function containerDefinition(c: ContainerSpec): Record<string, unknown> {
  return {
    name: c.name,
    image: c.image,
    essential: true,
    ...(c.entryPoint ? { entryPoint: c.entryPoint } : {}),
    command: c.command,
    environment: [...c.environment, { name: 'TMPDIR', value: '/tmp' }],
    readonlyRootFilesystem: true,
    mountPoints: [{ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false }],
    stopTimeout: c.stopTimeout,
    logConfiguration: {
      logDriver: 'awslogs',
      options: { 'awslogs-group': c.logGroup, 'awslogs-region': c.region, 'awslogs-stream-prefix': c.name },
    },
  };
}

import { CONFIG_KEY } from './resourceNames';

/** The wiring both tasks read from their environment (DESIGN.md, "On AWS the same code reads ..."). */
export interface TaskWiring {
  region: string;
  stateBucket: string;
  queueUrl: string;
  deadLetterQueueUrl: string;
  workgroup: string;
  glueDatabase: string;
  cluster: string;
  forgetService: string;
  /** The family: run-task starts its latest revision, and a task definition cannot name its own ARN. */
  findTaskDefinition: string;
  manifestsTable: string;
}

export interface EnvironmentVariable {
  name: string;
  value: string;
}

export function taskEnvironment(w: TaskWiring): EnvironmentVariable[] {
  return [
    { name: 'LETHE_MODE', value: 'aws' },
    { name: 'AWS_REGION', value: w.region },
    { name: 'LETHE_STATE_BUCKET', value: w.stateBucket },
    { name: 'LETHE_CONFIG_KEY', value: CONFIG_KEY },
    { name: 'LETHE_QUEUE_URL', value: w.queueUrl },
    { name: 'LETHE_DLQ_URL', value: w.deadLetterQueueUrl },
    { name: 'LETHE_ATHENA_WORKGROUP', value: w.workgroup },
    { name: 'LETHE_GLUE_DATABASE', value: w.glueDatabase },
    { name: 'LETHE_CLUSTER', value: w.cluster },
    { name: 'LETHE_FORGET_SERVICE', value: w.forgetService },
    { name: 'LETHE_FIND_TASK_DEFINITION', value: w.findTaskDefinition },
    { name: 'LETHE_MANIFEST_TABLE', value: w.manifestsTable },
    // The root filesystem is read-only; /tmp is the task's ephemeral volume (containerDefinition.ts).
    { name: 'LETHE_TEMP_DIR', value: '/tmp' },
  ];
}

/** `VAR=value ...` for a shell, the same wiring the tasks get, so the CLI drives this stack. */
export function shellEnvironment(env: readonly EnvironmentVariable[]): string {
  return env.map((v) => `${v.name}=${shellQuote(v.value)}`).join(' ');
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:,@=-]*$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

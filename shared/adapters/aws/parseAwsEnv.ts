import { CONFIG_KEY } from '../../records/stateKeys';
import { InputError } from '../../model/errors';

/** The aws-mode wiring the Pulumi program sets on the find and forget task definitions. */
export interface AwsEnv {
  mode: 'aws';
  stateBucket: string;
  queueUrl: string;
  deadLetterQueueUrl: string;
  athenaWorkGroup: string;
  /** Glue database of lethe's own tables (the manifest table). */
  glueDatabase: string;
  /** Glue table over jobs/<jobId>/manifests/ in the state bucket. */
  manifestTable: string;
  cluster: string;
  forgetService: string;
  findTaskDefinition: string;
  /** State store key of the config the Pulumi program writes. */
  configKey: string;
  /** Workers exit after the queue has been empty this long (LETHE_IDLE_EXIT_SECONDS). */
  idleExitSeconds?: number;
  /** Scratch space for downloads and rewrites. */
  tempDirectory?: string;
  /** Endpoint override (moto in tests); S3 then uses path-style addressing. */
  endpointUrl?: string;
  region?: string;
}

const REQUIRED = {
  stateBucket: 'LETHE_STATE_BUCKET',
  queueUrl: 'LETHE_QUEUE_URL',
  deadLetterQueueUrl: 'LETHE_DLQ_URL',
  athenaWorkGroup: 'LETHE_ATHENA_WORKGROUP',
  glueDatabase: 'LETHE_GLUE_DATABASE',
  cluster: 'LETHE_CLUSTER',
  forgetService: 'LETHE_FORGET_SERVICE',
  findTaskDefinition: 'LETHE_FIND_TASK_DEFINITION',
} as const;

/** Reads the aws wiring from the environment; one InputError names every missing variable. */
export function parseAwsEnv(env: Readonly<Record<string, string | undefined>>): AwsEnv {
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  if (read('LETHE_MODE') !== 'aws') {
    throw new InputError(`LETHE_MODE must be "aws" for the AWS adapters, got ${env.LETHE_MODE === undefined ? 'nothing' : JSON.stringify(env.LETHE_MODE)}`, { field: 'LETHE_MODE' });
  }
  const missing = Object.values(REQUIRED).filter((name) => read(name) === undefined);
  if (missing.length > 0) {
    throw new InputError(`missing environment variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (aws mode)`, { field: missing[0]! });
  }
  const required = Object.fromEntries(Object.entries(REQUIRED).map(([field, name]) => [field, read(name)!])) as Record<keyof typeof REQUIRED, string>;
  if (!/^s3:\/\//.test(required.stateBucket) && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(required.stateBucket)) {
    throw new InputError(`LETHE_STATE_BUCKET: "${required.stateBucket}" is not a bucket name`, { field: 'LETHE_STATE_BUCKET' });
  }
  for (const name of ['LETHE_QUEUE_URL', 'LETHE_DLQ_URL'] as const) {
    if (!/^https?:\/\//.test(read(name)!)) throw new InputError(`${name}: "${read(name)}" is not a queue URL`, { field: name });
  }
  const idleExit = read('LETHE_IDLE_EXIT_SECONDS');
  const idleExitSeconds = idleExit === undefined ? undefined : Number(idleExit);
  if (idleExitSeconds !== undefined && (!Number.isFinite(idleExitSeconds) || idleExitSeconds < 0)) {
    throw new InputError(`LETHE_IDLE_EXIT_SECONDS: "${idleExit}" is not a number of seconds`, { field: 'LETHE_IDLE_EXIT_SECONDS' });
  }
  const tempDirectory = read('LETHE_TEMP_DIR');
  const endpointUrl = read('AWS_ENDPOINT_URL');
  const region = read('AWS_REGION') ?? read('AWS_DEFAULT_REGION');
  return {
    mode: 'aws',
    ...required,
    manifestTable: read('LETHE_MANIFEST_TABLE') ?? 'manifests',
    configKey: read('LETHE_CONFIG_KEY') ?? CONFIG_KEY,
    ...(idleExitSeconds === undefined ? {} : { idleExitSeconds }),
    ...(tempDirectory ? { tempDirectory } : {}),
    ...(endpointUrl ? { endpointUrl } : {}),
    ...(region ? { region } : {}),
  };
}

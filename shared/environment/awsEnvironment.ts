import { InputError } from '../model/errors';
import { JobId, StateKey, parseJobId, parseStateKey } from '../model/identifiers';
import { parseS3Uri } from '../model/parseS3Uri';
import { CONFIG_KEY } from '../records/stateKeys';

/**
 * The aws-mode wiring: what the Pulumi program sets on the find and forget task definitions (and an
 * operator exports to drive the stack from a shell). Both sides go through AWS_ENVIRONMENT below.
 */
export interface AwsEnv {
  mode: 'aws';
  region?: string;
  /** A bucket name, or s3://bucket/prefix to keep the state under a prefix. */
  stateBucket: string;
  /** State store key of the config the Pulumi program writes. */
  configKey: StateKey;
  queueUrl: string;
  deadLetterQueueUrl: string;
  athenaWorkGroup: string;
  /** Glue database of lethe's own tables (the manifest table). */
  glueDatabase: string;
  cluster: string;
  forgetService: string;
  /** The family: run-task starts its latest revision, and a task definition cannot name its own ARN. */
  findTaskDefinition: string;
  /** Glue table over jobs/<jobId>/manifests/ in the state bucket. */
  manifestTable: string;
  /**
   * SSM SecureString parameter holding the hex HMAC key, encrypted with the stack's key. Not in the
   * state bucket: auditors read that bucket's reports and config, and must not be able to hash guesses.
   */
  hmacKeyParameter: string;
  /** SNS topic lethe publishes job notifications to (awaiting approval, finished). */
  topicArn: string;
  /** Scratch space for downloads and rewrites. */
  tempDirectory?: string;
  /** Workers exit after the queue has been empty this long. */
  idleExitSeconds?: number;
  /** Endpoint override (moto in tests); S3 then uses path-style addressing. */
  endpointUrl?: string;
}

export interface EnvironmentVariable {
  name: string;
  value: string;
}

/** One variable: its name and how its text becomes the field (an InputError names the variable). Every field is a string or a number, written back with String(). */
interface Variable<T> {
  name: string;
  /** Read when `name` is unset (the SDK's own older spelling). */
  alias?: string;
  /** required: parseAwsEnv names it when missing; a default fills it; else the field stays unset. */
  presence: 'required' | 'optional' | { default: T };
  parse(text: string, name: string): T;
}

/** Every field present: the table has one row per field, optional or not. */
type AwsFields = Required<AwsEnv>;
type Table = { [K in keyof AwsFields]: Variable<AwsFields[K]> };

const text = (name: string, presence: Variable<string>['presence'], alias?: string): Variable<string> => ({
  name,
  presence,
  ...(alias ? { alias } : {}),
  parse: (value) => value,
});

function parseMode(value: string, name: string): 'aws' {
  if (value !== 'aws') throw new InputError(`${name} must be "aws" for the AWS adapters, got ${value ? JSON.stringify(value) : 'nothing'}`, { field: name });
  return value;
}

function parseStateBucket(value: string, name: string): string {
  stateStoreLocation(value, name);
  return value;
}

function parseQueueUrl(value: string, name: string): string {
  if (!/^https?:\/\//.test(value)) throw new InputError(`${name}: "${value}" is not a queue URL`, { field: name });
  return value;
}

function parseParameterName(value: string, name: string): string {
  if (!/^\/?[A-Za-z0-9_.\-/]{1,1011}$/.test(value)) throw new InputError(`${name}: "${value}" is not an SSM parameter name`, { field: name });
  return value;
}

function parseTopicArn(value: string, name: string): string {
  if (!/^arn:[a-z-]+:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(value)) throw new InputError(`${name}: "${value}" is not an SNS topic ARN`, { field: name });
  return value;
}

function parseSeconds(value: string, name: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0) throw new InputError(`${name}: "${value}" is not a number of seconds`, { field: name });
  return seconds;
}

/**
 * The table, in the order the task definitions list the variables. infra/taskEnvironment.ts writes
 * it with formatAwsEnv; the tasks, the CLI and the console read it with parseAwsEnv.
 */
export const AWS_ENVIRONMENT: Table = {
  mode: { name: 'LETHE_MODE', presence: 'required', parse: parseMode },
  region: text('AWS_REGION', 'optional', 'AWS_DEFAULT_REGION'),
  stateBucket: { name: 'LETHE_STATE_BUCKET', presence: 'required', parse: parseStateBucket },
  configKey: { name: 'LETHE_CONFIG_KEY', presence: { default: CONFIG_KEY }, parse: parseStateKey },
  queueUrl: { name: 'LETHE_QUEUE_URL', presence: 'required', parse: parseQueueUrl },
  deadLetterQueueUrl: { name: 'LETHE_DLQ_URL', presence: 'required', parse: parseQueueUrl },
  athenaWorkGroup: text('LETHE_ATHENA_WORKGROUP', 'required'),
  glueDatabase: text('LETHE_GLUE_DATABASE', 'required'),
  cluster: text('LETHE_CLUSTER', 'required'),
  forgetService: text('LETHE_FORGET_SERVICE', 'required'),
  findTaskDefinition: text('LETHE_FIND_TASK_DEFINITION', 'required'),
  manifestTable: text('LETHE_MANIFEST_TABLE', { default: 'manifests' }),
  hmacKeyParameter: { name: 'LETHE_HMAC_KEY_PARAMETER', presence: 'required', parse: parseParameterName },
  topicArn: { name: 'LETHE_TOPIC_ARN', presence: 'required', parse: parseTopicArn },
  tempDirectory: text('LETHE_TEMP_DIR', 'optional'),
  idleExitSeconds: { name: 'LETHE_IDLE_EXIT_SECONDS', presence: 'optional', parse: parseSeconds },
  endpointUrl: text('AWS_ENDPOINT_URL', 'optional'),
};

const FIELDS = Object.keys(AWS_ENVIRONMENT) as Array<keyof AwsFields>;

/** Reads the aws wiring from the environment; one InputError names every missing variable. */
export function parseAwsEnv(env: Readonly<Record<string, string | undefined>>): AwsEnv {
  const read = (variable: Variable<unknown>) => {
    const value = (env[variable.name] ?? (variable.alias ? env[variable.alias] : undefined))?.trim();
    return value ? value : undefined;
  };
  // Without LETHE_MODE=aws the rest is not aws wiring at all: say that, not which variables are missing.
  if (read(AWS_ENVIRONMENT.mode) === undefined) AWS_ENVIRONMENT.mode.parse(env.LETHE_MODE ?? '', AWS_ENVIRONMENT.mode.name);
  const missing = FIELDS.map((field) => AWS_ENVIRONMENT[field]).filter((v) => v.presence === 'required' && read(v) === undefined).map((v) => v.name);
  if (missing.length > 0) {
    throw new InputError(`missing environment variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (aws mode)`, { field: missing[0]! });
  }
  const valueOf = <K extends keyof AwsFields>(field: K): AwsFields[K] | undefined => {
    const variable: Table[K] = AWS_ENVIRONMENT[field];
    const value = read(variable);
    if (value !== undefined) return variable.parse(value, variable.name);
    return typeof variable.presence === 'object' ? variable.presence.default : undefined;
  };
  const need = <K extends keyof AwsFields>(field: K): AwsFields[K] => {
    const value = valueOf(field);
    // Required variables were checked above and the others have defaults: this names a table mistake.
    if (value === undefined) throw new InputError(`missing environment variable ${AWS_ENVIRONMENT[field].name} (aws mode)`, { field: AWS_ENVIRONMENT[field].name });
    return value;
  };
  const region = valueOf('region');
  const tempDirectory = valueOf('tempDirectory');
  const idleExitSeconds = valueOf('idleExitSeconds');
  const endpointUrl = valueOf('endpointUrl');
  return {
    mode: need('mode'),
    stateBucket: need('stateBucket'),
    configKey: need('configKey'),
    queueUrl: need('queueUrl'),
    deadLetterQueueUrl: need('deadLetterQueueUrl'),
    athenaWorkGroup: need('athenaWorkGroup'),
    glueDatabase: need('glueDatabase'),
    cluster: need('cluster'),
    forgetService: need('forgetService'),
    findTaskDefinition: need('findTaskDefinition'),
    manifestTable: need('manifestTable'),
    hmacKeyParameter: need('hmacKeyParameter'),
    topicArn: need('topicArn'),
    ...(region === undefined ? {} : { region }),
    ...(tempDirectory === undefined ? {} : { tempDirectory }),
    ...(idleExitSeconds === undefined ? {} : { idleExitSeconds }),
    ...(endpointUrl === undefined ? {} : { endpointUrl }),
  };
}

/** The variables for `env`, in table order: what the infra program sets on the task definitions. */
export function formatAwsEnv(env: AwsEnv): EnvironmentVariable[] {
  return FIELDS.flatMap((field) => {
    const value = env[field];
    return value === undefined ? [] : [{ name: AWS_ENVIRONMENT[field].name, value: String(value) }];
  });
}

/**
 * What one run of the find task is asked to do: set per run (the EventBridge rule's container
 * override, or an operator's run-task), never on the task definition. Without any, a run creates a
 * job from the queue.
 */
export interface FindRunEnv {
  /** requests/<ts>-<jobId>.json: the job a `lethe job start` or `approve` asked for (infra/jobRequestRule.ts). */
  requestKey?: StateKey;
  /** Drive this job. */
  jobId?: JobId;
  /** Who a job created by this run names as its starter. */
  startedBy?: string;
}

type FindRunFields = Required<FindRunEnv>;

export const FIND_RUN_ENVIRONMENT: { [K in keyof FindRunFields]: Variable<FindRunFields[K]> } = {
  requestKey: { name: 'LETHE_REQUEST_KEY', presence: 'optional', parse: parseStateKey },
  jobId: { name: 'LETHE_JOB_ID', presence: 'optional', parse: parseJobId },
  startedBy: text('LETHE_STARTED_BY', 'optional'),
};

export function parseFindRunEnv(env: Readonly<Record<string, string | undefined>>): FindRunEnv {
  const read = <K extends keyof FindRunFields>(field: K): FindRunFields[K] | undefined => {
    const variable: Variable<FindRunFields[K]> = FIND_RUN_ENVIRONMENT[field];
    const value = env[variable.name]?.trim();
    return value ? variable.parse(value, variable.name) : undefined;
  };
  const requestKey = read('requestKey');
  const jobId = read('jobId');
  const startedBy = read('startedBy');
  return {
    ...(requestKey === undefined ? {} : { requestKey }),
    ...(jobId === undefined ? {} : { jobId }),
    ...(startedBy === undefined ? {} : { startedBy }),
  };
}

/** Any lethe command, either mode: when set, an error's stack follows its one-line message. */
export const DEBUG_VARIABLE = 'LETHE_DEBUG';

/** Bucket and key prefix of the state store ("" or ending in "/"), from LETHE_STATE_BUCKET. */
export function stateStoreLocation(stateBucket: string, name = AWS_ENVIRONMENT.stateBucket.name): { bucket: string; prefix: string } {
  const { bucket, key } = stateBucket.includes('://') ? parseS3Uri(stateBucket) : { bucket: stateBucket, key: '' };
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new InputError(`${name}: "${stateBucket}" is not a bucket name`, { field: name });
  return { bucket, prefix: key && !key.endsWith('/') ? `${key}/` : key };
}

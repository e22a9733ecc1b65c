import { GlueTableRef, LakeScope, S3Location } from './lakeScope';
import { AwsScope, PolicyDocument, PolicyStatement, policyDocument } from './policyDocument';
import { CONFIG_KEY, LOCK_KEY, STATE_PREFIXES } from './resourceNames';

export interface TaskPolicyScope extends AwsScope {
  stateBucket: string;
  /** lethe's key (state bucket, queues, Athena results) and any lake bucket keys. */
  kmsKeyArns: string[];
  /** lethe's own key, which encrypts the HMAC key parameter. */
  letheKeyArn: string;
  /** Name of the SSM SecureString parameter holding the HMAC key. */
  hmacKeyParameter: string;
  /** Name of the SNS topic of job notifications. */
  jobTopic: string;
  lake: LakeScope;
  /** Lake Formation governs the tables: Athena then needs GetDataAccess for the caller. */
  lakeFormation?: boolean;
  letheDatabase: string;
  manifestsTable: string;
  workgroup: string;
  deletionQueueArn: string;
  deadLetterQueueArn: string;
  cluster: string;
  forgetService: string;
}

const s3Arn = (p: string, bucket: string, key?: string) => `arn:${p}:s3:::${bucket}${key === undefined ? '' : `/${key}`}`;

function objectArns(p: string, locations: readonly S3Location[]): string[] {
  return locations.map((l) => s3Arn(p, l.bucket, `${l.prefix}*`));
}

/** ListBucket-style statements per bucket, limited to the prefixes by the s3:prefix condition. */
function bucketListStatements(sid: string, p: string, actions: string[], locations: readonly S3Location[]): PolicyStatement[] {
  const byBucket = new Map<string, string[]>();
  for (const l of locations) byBucket.set(l.bucket, [...(byBucket.get(l.bucket) ?? []), `${l.prefix}*`]);
  return [...byBucket].map(([bucket, prefixes], i) => ({
    Sid: `${sid}${i}`,
    Effect: 'Allow' as const,
    Action: actions,
    Resource: [s3Arn(p, bucket)],
    Condition: { StringLike: { 's3:prefix': prefixes } },
  }));
}

function glueArns(s: AwsScope, tables: readonly GlueTableRef[]): string[] {
  const base = `arn:${s.partition}:glue:${s.region}:${s.accountId}`;
  const databases = [...new Set(tables.map((t) => t.database))];
  return [`${base}:catalog`, ...databases.map((d) => `${base}:database/${d}`), ...tables.map((t) => `${base}:table/${t.database}/${t.table}`)];
}

/**
 * S3StateStore.delete also removes a key's older versions (queue batches and manifests hold clear
 * match IDs, and a noncurrent version would keep them): it lists the versions under the key and
 * deletes them, which DeleteObject alone does not allow.
 */
function purgeStateVersionStatements(sid: string, p: string, bucket: string, prefixes: string[]): PolicyStatement[] {
  return [
    { Sid: sid, Effect: 'Allow', Action: ['s3:DeleteObjectVersion'], Resource: prefixes.map((prefix) => s3Arn(p, bucket, `${prefix}*`)) },
    ...bucketListStatements(`List${sid}`, p, ['s3:ListBucketVersions'], prefixes.map((prefix) => ({ bucket, prefix }))),
  ];
}

/** Services that use the keys on a role's behalf: S3 (state, lake, Athena results), SQS and SNS. */
const viaServices = (s: AwsScope) => ['s3', 'sqs', 'sns'].map((service) => `${service}.${s.region}.amazonaws.com`);

/** The keys only through the services lethe's data passes: no direct Decrypt of any ciphertext. */
const kmsStatement = (s: TaskPolicyScope): PolicyStatement => ({
  Sid: 'UseLetheAndLakeKeys',
  Effect: 'Allow',
  Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
  Resource: s.kmsKeyArns,
  Condition: { StringEquals: { 'kms:ViaService': viaServices(s) } },
});

export const jobTopicArn = (s: AwsScope, name: string): string => `arn:${s.partition}:sns:${s.region}:${s.accountId}:${name}`;

/** lethe's own notifications: a job awaiting approval, a job finished (by the coordinator, or a reject or cancel). */
const publishNotificationsStatement = (s: TaskPolicyScope): PolicyStatement => ({
  Sid: 'PublishJobNotifications',
  Effect: 'Allow',
  Action: ['sns:Publish'],
  Resource: [jobTopicArn(s, s.jobTopic)],
});

export const hmacKeyParameterArn = (s: AwsScope, name: string): string => `arn:${s.partition}:ssm:${s.region}:${s.accountId}:parameter/${name.replace(/^\//, '')}`;

/**
 * Reading the HMAC key: GetParameter on its parameter, and Decrypt with lethe's key only when SSM asks
 * for it. SSM decrypts only what it returns to a caller allowed to get the parameter, so these two
 * together reach this parameter and no other ciphertext of the key.
 */
function readHmacKeyStatements(s: TaskPolicyScope): PolicyStatement[] {
  const parameter = hmacKeyParameterArn(s, s.hmacKeyParameter);
  return [
    { Sid: 'ReadHmacKey', Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: [parameter] },
    {
      Sid: 'DecryptHmacKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: [s.letheKeyArn],
      Condition: { StringEquals: { 'kms:ViaService': `ssm.${s.region}.amazonaws.com` } },
    },
  ];
}

/**
 * The find task (job coordinator): Athena in its workgroup only, Glue reads of the mapped tables and
 * the manifests table, reads of the mapped lake prefixes (Athena scans with the caller's rights),
 * state writes under jobs/, the lock and Athena results, sends to the deletion queue, and scaling of
 * the forget service only.
 */
export function findTaskPolicy(s: TaskPolicyScope): PolicyDocument {
  const p = s.partition;
  const state = (key: string) => s3Arn(p, s.stateBucket, key);
  const manifests: GlueTableRef = { database: s.letheDatabase, table: s.manifestsTable };
  const stateRead: S3Location[] = [{ bucket: s.stateBucket, prefix: '' }];
  return policyDocument([
    {
      Sid: 'RunQueriesInWorkgroup',
      Effect: 'Allow',
      Action: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution', 'athena:GetWorkGroup'],
      Resource: [`arn:${p}:athena:${s.region}:${s.accountId}:workgroup/${s.workgroup}`],
    },
    {
      Sid: 'ReadMappedTables',
      Effect: 'Allow',
      Action: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'],
      Resource: glueArns(s, [...s.lake.tables, manifests]),
    },
    { Sid: 'ReadMappedLocations', Effect: 'Allow', Action: ['s3:GetObject'], Resource: objectArns(p, s.lake.locations) },
    // Lake Formation vends Athena the credentials for governed tables; its own grants (infra/lakeFormation.ts) decide which.
    ...(s.lakeFormation ? [{ Sid: 'LakeFormationDataAccess', Effect: 'Allow' as const, Action: ['lakeformation:GetDataAccess'], Resource: ['*'] }] : []),
    ...bucketListStatements('ListMappedLocations', p, ['s3:ListBucket'], s.lake.locations),
    { Sid: 'LocateBuckets', Effect: 'Allow', Action: ['s3:GetBucketLocation'], Resource: [...new Set([s.stateBucket, ...s.lake.locations.map((l) => l.bucket)])].map((b) => s3Arn(p, b)) },
    { Sid: 'ReadState', Effect: 'Allow', Action: ['s3:GetObject'], Resource: [state('*')] },
    ...bucketListStatements('ListState', p, ['s3:ListBucket'], stateRead),
    {
      // The lock and the queue snapshot live beside jobs/: taking the lock and removing processed
      // queue items are part of a job (DESIGN.md, steps 2 and 7).
      Sid: 'WriteJobState',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:DeleteObject', 's3:PutObjectTagging'],
      Resource: [state(`${STATE_PREFIXES.jobs}*`), state(LOCK_KEY)],
    },
    {
      // Cleanup drops served items: a batch is deleted, or rewritten without them (If-Match).
      Sid: 'RemoveServedQueueItems',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:DeleteObject'],
      Resource: [state(`${STATE_PREFIXES.queue}*`)],
    },
    ...purgeStateVersionStatements('PurgeDeletedStateVersions', p, s.stateBucket, [STATE_PREFIXES.jobs, STATE_PREFIXES.queue, LOCK_KEY]),
    {
      Sid: 'WriteAthenaResults',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      Resource: [state(`${STATE_PREFIXES.athenaResults}*`)],
    },
    { Sid: 'SendWork', Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Resource: [s.deletionQueueArn] },
    {
      Sid: 'TallyFailedWork',
      Effect: 'Allow',
      Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
      Resource: [s.deadLetterQueueArn],
    },
    {
      Sid: 'ScaleForgetService',
      Effect: 'Allow',
      Action: ['ecs:UpdateService', 'ecs:DescribeServices'],
      Resource: [`arn:${p}:ecs:${s.region}:${s.accountId}:service/${s.cluster}/${s.forgetService}`],
    },
    // The coordinator hashes the queue's match IDs for the manifests and the report.
    ...readHmacKeyStatements(s),
    publishNotificationsStatement(s),
    kmsStatement(s),
  ]);
}

/**
 * The forget worker: read and rewrite only the mapped lake prefixes (including deleting old
 * versions and restoring tags and ACLs), read job state and write its results, and consume its queue.
 */
export function forgetTaskPolicy(s: TaskPolicyScope): PolicyDocument {
  const p = s.partition;
  const state = (key: string) => s3Arn(p, s.stateBucket, key);
  return policyDocument([
    {
      Sid: 'RewriteMappedObjects',
      Effect: 'Allow',
      Action: [
        's3:GetObject',
        's3:GetObjectVersion',
        's3:GetObjectTagging',
        's3:GetObjectVersionTagging',
        's3:GetObjectAcl',
        's3:GetObjectVersionAcl',
        's3:PutObject',
        's3:PutObjectTagging',
        's3:PutObjectAcl',
        's3:DeleteObjectVersion',
        's3:AbortMultipartUpload',
        's3:ListMultipartUploadParts',
      ],
      Resource: objectArns(p, s.lake.locations),
    },
    ...bucketListStatements('ListMappedVersions', p, ['s3:ListBucket', 's3:ListBucketVersions'], s.lake.locations),
    ...lakeVersioningStatement(p, s.lake.locations),
    {
      Sid: 'ReadJobState',
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: [state(`${STATE_PREFIXES.jobs}*`), state(CONFIG_KEY), state(`${STATE_PREFIXES.tmp}*`)],
    },
    ...bucketListStatements('ListJobState', p, ['s3:ListBucket'], [
      { bucket: s.stateBucket, prefix: STATE_PREFIXES.jobs },
      { bucket: s.stateBucket, prefix: STATE_PREFIXES.tmp },
    ]),
    {
      // Results and events are per object under the job; temp files are rewrite scratch space.
      Sid: 'WriteResultsAndTemp',
      Effect: 'Allow',
      Action: ['s3:PutObject'],
      Resource: [state(`${STATE_PREFIXES.jobs}*/objects/*`), state(`${STATE_PREFIXES.jobs}*/events/*`), state(`${STATE_PREFIXES.tmp}*`)],
    },
    { Sid: 'RemoveTemp', Effect: 'Allow', Action: ['s3:DeleteObject', 's3:AbortMultipartUpload'], Resource: [state(`${STATE_PREFIXES.tmp}*`)] },
    {
      Sid: 'ConsumeWork',
      Effect: 'Allow',
      Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
      Resource: [s.deletionQueueArn],
    },
    // A message no worker can parse goes straight to the dead-letter queue (SqsWorkQueue.quarantine).
    { Sid: 'QuarantineMalformedWork', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [s.deadLetterQueueArn] },
    kmsStatement(s),
  ]);
}

/** The worker refuses to rewrite in an unversioned bucket (S3ObjectStore asks before every rewrite). */
function lakeVersioningStatement(p: string, locations: readonly S3Location[]): PolicyStatement[] {
  const buckets = [...new Set(locations.map((l) => l.bucket))];
  return buckets.length === 0 ? [] : [{ Sid: 'CheckLakeVersioning', Effect: 'Allow', Action: ['s3:GetBucketVersioning'], Resource: buckets.map((b) => s3Arn(p, b)) }];
}

export interface ExecutionPolicyScope extends AwsScope {
  repository: string;
  logGroups: string[];
}

/** Pulls the image and writes the task logs; nothing else. */
export function executionPolicy(s: ExecutionPolicyScope): PolicyDocument {
  const base = `${s.region}:${s.accountId}`;
  return policyDocument([
    {
      // GetAuthorizationToken is account-wide: IAM accepts no resource but "*" for it.
      Sid: 'RegistryLogin',
      Effect: 'Allow',
      Action: ['ecr:GetAuthorizationToken'],
      Resource: ['*'],
    },
    {
      Sid: 'PullImage',
      Effect: 'Allow',
      Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
      Resource: [`arn:${s.partition}:ecr:${base}:repository/${s.repository}`],
    },
    {
      Sid: 'WriteLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: s.logGroups.map((g) => `arn:${s.partition}:logs:${base}:log-group:${g}:log-stream:*`),
    },
  ]);
}

/**
 * What an auditor reads under jobs/<job>/: the job, its events, plan, match accounts (by HMAC: where
 * each match applied, or why not), verification, per-object results and reports.
 */
const AUDITED_JOB_FILES = ['job.json', 'events/*', 'plan.json', 'matches/*', 'verification.json', 'objects/*', 'report.json', 'report.html'];

/**
 * For auditors: read the deletion reports and job records (which hold HMACs, never a clear match
 * ID) and the stack config, with `lethe job list|status|events|report` or the S3 console. Nothing
 * that holds clear match IDs or can derive them: not the queue, not the manifests, not the HMAC key.
 * No write anywhere. KMS use only through S3 reads.
 */
export function auditorPolicy(s: TaskPolicyScope): PolicyDocument {
  const p = s.partition;
  const state = (key: string) => s3Arn(p, s.stateBucket, key);
  return policyDocument([
    {
      Sid: 'ReadJobRecordsAndReports',
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: [...AUDITED_JOB_FILES.map((file) => state(`${STATE_PREFIXES.jobs}*/${file}`)), state(CONFIG_KEY)],
    },
    ...bucketListStatements('ListJobs', p, ['s3:ListBucket'], [{ bucket: s.stateBucket, prefix: STATE_PREFIXES.jobs }]),
    {
      Sid: 'DecryptStateReads',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: s.kmsKeyArns,
      Condition: { StringEquals: { 'kms:ViaService': `s3.${s.region}.amazonaws.com` } },
    },
  ]);
}

/** Only ECS tasks of this account may assume the task roles (confused-deputy guard). */
export function ecsTasksTrustPolicy(s: AwsScope): PolicyDocument {
  return policyDocument([
    {
      Sid: 'EcsTasksOfThisAccount',
      Effect: 'Allow',
      Principal: { Service: 'ecs-tasks.amazonaws.com' },
      Action: ['sts:AssumeRole'],
      Condition: {
        StringEquals: { 'aws:SourceAccount': s.accountId },
        ArnLike: { 'aws:SourceArn': `arn:${s.partition}:ecs:${s.region}:${s.accountId}:*` },
      },
    },
  ]);
}

/** Actions that IAM only grants on Resource "*"; the infra tests allow "*" for these alone. */
export const ACCOUNT_WIDE_ACTIONS: readonly string[] = ['ecr:GetAuthorizationToken', 'lakeformation:GetDataAccess'];

/**
 * For people and pipelines that drive the stack with the `lethe` CLI or console: enqueue, start and
 * follow jobs, approve, reject or cancel them, and read reports. A job runs when they write a request
 * under requests/ (the EventBridge rule starts the find task): they hold no ecs:RunTask or
 * iam:PassRole, since RunTask's command overrides would let them run any code as the find role.
 * Attach it to their role; it is not a task role.
 */
export function operatorPolicy(s: TaskPolicyScope): PolicyDocument {
  const p = s.partition;
  const state = (key: string) => s3Arn(p, s.stateBucket, key);
  const ecs = `arn:${p}:ecs:${s.region}:${s.accountId}`;
  return policyDocument([
    { Sid: 'ReadState', Effect: 'Allow', Action: ['s3:GetObject'], Resource: [state('*')] },
    ...bucketListStatements('ListState', p, ['s3:ListBucket'], [{ bucket: s.stateBucket, prefix: '' }]),
    {
      Sid: 'EnqueueAndRequestJobs',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:DeleteObject'],
      Resource: [state(`${STATE_PREFIXES.queue}*`), state(`${STATE_PREFIXES.jobs}*`), state(LOCK_KEY), state(`${STATE_PREFIXES.requests}*`)],
    },
    // `queue remove`, and a reject or cancel ends the job here: cleanup deletes batches, manifests and the lock.
    ...purgeStateVersionStatements('PurgeDeletedStateVersions', p, s.stateBucket, [STATE_PREFIXES.jobs, STATE_PREFIXES.queue, LOCK_KEY]),
    // A job rejected or cancelled here scales the forget service back to 0 (desired count only).
    { Sid: 'ReadForgetService', Effect: 'Allow', Action: ['ecs:DescribeServices', 'ecs:UpdateService'], Resource: [`${ecs}:service/${s.cluster}/${s.forgetService}`] },
    { Sid: 'QueueDepth', Effect: 'Allow', Action: ['sqs:GetQueueAttributes'], Resource: [s.deletionQueueArn, s.deadLetterQueueArn] },
    // `queue list` and the console show each queued ID by its HMAC.
    ...readHmacKeyStatements(s),
    publishNotificationsStatement(s),
    kmsStatement(s),
  ]);
}

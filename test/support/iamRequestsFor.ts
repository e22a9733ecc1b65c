import { RecordedAwsCall } from './awsCallRecorder';
import { DeployedPolicies, queueArnOfUrl } from './deployedPolicies';

/** One authorization AWS makes for a call: who asks for which action on which resource, in which context. */
export interface IamRequest {
  action: string;
  resource: string;
  context: Record<string, string | string[]>;
}

/** How a recorded call names things in the test (moto) and what the stack names them. */
export interface NameMap {
  deployed: DeployedPolicies;
  /** The environment the recorded processes ran with; its LETHE_* values map onto the stack's. */
  testEnvironment: Readonly<Record<string, string | undefined>>;
}

/** The wiring variables that name each kind of resource: a value the test gave becomes the stack's. */
const VARIABLES = {
  bucket: ['LETHE_STATE_BUCKET'],
  queueUrl: ['LETHE_QUEUE_URL', 'LETHE_DLQ_URL'],
  workgroup: ['LETHE_ATHENA_WORKGROUP'],
  database: ['LETHE_GLUE_DATABASE'],
  table: ['LETHE_MANIFEST_TABLE'],
  cluster: ['LETHE_CLUSTER'],
  service: ['LETHE_FORGET_SERVICE'],
  family: ['LETHE_FIND_TASK_DEFINITION'],
  topic: ['LETHE_TOPIC_ARN'],
  parameter: ['LETHE_HMAC_KEY_PARAMETER'],
} as const;
type NameKind = keyof typeof VARIABLES;

/**
 * The IAM requests one SDK call makes on AWS, including the ones AWS makes with the caller's rights
 * on its behalf (SSE-KMS data keys for S3 and SQS, Athena's reads of Glue and S3, the roles RunTask
 * passes). A call without a mapping throws: a new kind of call must be mapped before it ships.
 */
export function iamRequestsFor(call: RecordedAwsCall, names: NameMap): IamRequest[] {
  const n = nameResolver(names);
  const service = call.client.replace(/Client$/, '');
  const operation = call.command.replace(/Command$/, '');
  switch (service) {
    case 'S3':
      return s3Requests(operation, call, n);
    case 'SQS':
      return sqsRequests(operation, call, n);
    case 'Athena':
      return athenaRequests(operation, call, n);
    case 'Glue':
      return glueRequests(operation, call, n);
    case 'ECS':
      return ecsRequests(operation, call, n);
    case 'SNS':
      return snsRequests(operation, call, n);
    case 'SSM':
      return ssmRequests(operation, call, n);
    case 'STS':
      if (operation === 'GetCallerIdentity') return [];
      break;
  }
  throw new Error(`no IAM mapping for ${call.client} ${call.command}: add it to test/support/iamRequestsFor.ts`);
}

interface Names {
  deployed: DeployedPolicies;
  /** A test name of a kind of resource (bucket, workgroup, cluster...) as the stack names it. */
  name(kind: NameKind, value: string): string;
  queueArn(url: string): string;
  tableLocation(database: string, table: string): string | undefined;
  arn(service: string, resource: string): string;
}

function nameResolver(names: NameMap): Names {
  const { account, region, environment } = names.deployed;
  const name = (kind: NameKind, value: string) => {
    const variable = VARIABLES[kind].find((v) => names.testEnvironment[v] === value);
    return (variable && environment[variable]) || value;
  };
  return {
    deployed: names.deployed,
    name,
    queueArn: (url) => queueArnOfUrl(name('queueUrl', url), region),
    tableLocation: (database, table) => names.deployed.tableLocations[`${name('database', database)}.${name('table', table)}`],
    arn: (service, resource) => `arn:aws:${service}:${region}:${account}:${resource}`,
  };
}

const TLS = { 'aws:SecureTransport': 'true' };
const str = (value: unknown, field: string): string => {
  if (typeof value !== 'string' || value === '') throw new Error(`recorded call has no ${field}`);
  return value;
};

function s3Requests(operation: string, call: RecordedAwsCall, n: Names): IamRequest[] {
  const input = call.input;
  const bucket = n.name('bucket', str(input.Bucket, 'Bucket'));
  const bucketArn = `arn:aws:s3:::${bucket}`;
  const objectArn = (key: unknown) => `${bucketArn}/${str(key, 'Key')}`;
  const versioned = (plain: string, version: string, versionId: unknown) => (versionId ? version : plain);
  const on = (action: string, resource: string, context: Record<string, string | string[]> = {}): IamRequest => ({ action, resource, context: { ...TLS, ...context } });
  const bucketKey = n.deployed.bucketKeys[bucket];
  const kms = (action: string, keyArn = bucketKey): IamRequest[] =>
    keyArn ? [{ action, resource: keyArn, context: { ...TLS, 'kms:ViaService': `s3.${n.deployed.region}.amazonaws.com` } }] : [];
  const prefix: Record<string, string> = typeof input.Prefix === 'string' ? { 's3:prefix': input.Prefix } : {};
  const write = (): IamRequest[] => {
    const sse = Object.fromEntries(
      ['x-amz-server-side-encryption', 'x-amz-server-side-encryption-aws-kms-key-id'].flatMap((h) => (call.headers[h] ? [[`s3:${h}`, call.headers[h]!]] : [])),
    );
    return [
      on('s3:PutObject', objectArn(input.Key), sse),
      ...(call.headers['x-amz-tagging'] ? [on('s3:PutObjectTagging', objectArn(input.Key))] : []),
      ...(call.headers['x-amz-acl'] || Object.keys(call.headers).some((h) => h.startsWith('x-amz-grant-')) ? [on('s3:PutObjectAcl', objectArn(input.Key))] : []),
      ...kms('kms:GenerateDataKey', call.headers['x-amz-server-side-encryption-aws-kms-key-id'] ?? bucketKey),
    ];
  };
  const copySource = (): IamRequest[] => {
    const source = decodeURIComponent(str(input.CopySource, 'CopySource'));
    const [path, query] = source.replace(/^\//, '').split('?versionId=');
    const slash = path!.indexOf('/');
    const sourceBucket = n.name('bucket', path!.slice(0, slash));
    return [on(query ? 's3:GetObjectVersion' : 's3:GetObject', `arn:aws:s3:::${sourceBucket}/${path!.slice(slash + 1)}`), ...kms('kms:Decrypt', n.deployed.bucketKeys[sourceBucket])];
  };
  switch (operation) {
    case 'GetObject':
      return [on(versioned('s3:GetObject', 's3:GetObjectVersion', input.VersionId), objectArn(input.Key)), ...kms('kms:Decrypt')];
    case 'HeadObject':
      return [on(versioned('s3:GetObject', 's3:GetObjectVersion', input.VersionId), objectArn(input.Key))];
    case 'PutObject':
    case 'CreateMultipartUpload':
      return write();
    case 'UploadPart':
      return [on('s3:PutObject', objectArn(input.Key)), ...kms('kms:GenerateDataKey')];
    case 'UploadPartCopy':
    case 'CopyObject':
      return [...(operation === 'CopyObject' ? write() : [on('s3:PutObject', objectArn(input.Key)), ...kms('kms:GenerateDataKey')]), ...copySource()];
    case 'CompleteMultipartUpload':
      return [on('s3:PutObject', objectArn(input.Key)), ...kms('kms:Decrypt')];
    case 'AbortMultipartUpload':
      return [on('s3:AbortMultipartUpload', objectArn(input.Key))];
    case 'DeleteObject':
      return [on(versioned('s3:DeleteObject', 's3:DeleteObjectVersion', input.VersionId), objectArn(input.Key))];
    case 'DeleteObjects': {
      const objects = (input.Delete as { Objects?: Array<{ Key?: string; VersionId?: string }> } | undefined)?.Objects ?? [];
      return objects.map((o) => on(versioned('s3:DeleteObject', 's3:DeleteObjectVersion', o.VersionId), objectArn(o.Key)));
    }
    case 'ListObjectsV2':
    case 'ListObjects':
      return [on('s3:ListBucket', bucketArn, prefix)];
    case 'ListObjectVersions':
      return [on('s3:ListBucketVersions', bucketArn, prefix)];
    case 'HeadBucket':
      return [on('s3:ListBucket', bucketArn)];
    case 'GetBucketVersioning':
      return [on('s3:GetBucketVersioning', bucketArn)];
    case 'GetBucketLocation':
      return [on('s3:GetBucketLocation', bucketArn)];
    case 'GetObjectTagging':
      return [on(versioned('s3:GetObjectTagging', 's3:GetObjectVersionTagging', input.VersionId), objectArn(input.Key))];
    case 'PutObjectTagging':
      return [on(versioned('s3:PutObjectTagging', 's3:PutObjectVersionTagging', input.VersionId), objectArn(input.Key))];
    case 'GetObjectAcl':
      return [on(versioned('s3:GetObjectAcl', 's3:GetObjectVersionAcl', input.VersionId), objectArn(input.Key))];
    case 'PutObjectAcl':
      return [on(versioned('s3:PutObjectAcl', 's3:PutObjectVersionAcl', input.VersionId), objectArn(input.Key))];
  }
  throw new Error(`no IAM mapping for S3 ${operation}: add it to test/support/iamRequestsFor.ts`);
}

function sqsRequests(operation: string, call: RecordedAwsCall, n: Names): IamRequest[] {
  const queue = typeof call.input.QueueUrl === 'string' ? n.queueArn(call.input.QueueUrl) : n.arn('sqs', str(call.input.QueueName, 'QueueName'));
  const key = n.deployed.queueKeys[queue];
  const on = (action: string): IamRequest => ({ action, resource: queue, context: { ...TLS } });
  const kms = (...actions: string[]): IamRequest[] =>
    key ? actions.map((action) => ({ action, resource: key, context: { ...TLS, 'kms:ViaService': `sqs.${n.deployed.region}.amazonaws.com` } })) : [];
  switch (operation) {
    case 'SendMessage':
    case 'SendMessageBatch':
      return [on('sqs:SendMessage'), ...kms('kms:GenerateDataKey', 'kms:Decrypt')];
    case 'ReceiveMessage':
      return [on('sqs:ReceiveMessage'), ...kms('kms:Decrypt')];
    case 'DeleteMessage':
    case 'DeleteMessageBatch':
      return [on('sqs:DeleteMessage')];
    case 'ChangeMessageVisibility':
    case 'ChangeMessageVisibilityBatch':
      return [on('sqs:ChangeMessageVisibility')];
    case 'GetQueueAttributes':
    case 'GetQueueUrl':
    case 'PurgeQueue':
      return [on(`sqs:${operation}`)];
  }
  throw new Error(`no IAM mapping for SQS ${operation}: add it to test/support/iamRequestsFor.ts`);
}

/** Athena runs a query with the caller's rights: Glue reads of every table it names, S3 reads of their data, the result write. */
function athenaRequests(operation: string, call: RecordedAwsCall, n: Names): IamRequest[] {
  const workgroup = n.name('workgroup', typeof call.input.WorkGroup === 'string' ? call.input.WorkGroup : str(n.deployed.environment.LETHE_ATHENA_WORKGROUP, 'workgroup'));
  const own = { action: `athena:${operation}`, resource: n.arn('athena', `workgroup/${workgroup}`), context: { ...TLS } };
  if (operation !== 'StartQueryExecution') return [own];
  const tables = [...str(call.input.QueryString, 'QueryString').matchAll(/(?:FROM|JOIN)\s+"([^"]+)"\."([^"]+)"/g)].map((m) => [m[1]!, m[2]!] as const);
  const state = str(n.deployed.environment.LETHE_STATE_BUCKET, 'state bucket');
  const reads = tables.flatMap(([database, table]) => {
    const location = n.tableLocation(database, table);
    if (!location) throw new Error(`Athena query names "${database}"."${table}", whose location the simulation does not know`);
    const [bucket, ...rest] = location.replace(/^s3:\/\//, '').split('/');
    const prefix = rest.join('/');
    return [
      ...glueTableRequests(['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'], n.name('database', database), n.name('table', table), n),
      { action: 's3:GetObject', resource: `arn:aws:s3:::${bucket}/${prefix}part-0.parquet`, context: { ...TLS } },
      { action: 's3:ListBucket', resource: `arn:aws:s3:::${bucket}`, context: { ...TLS, 's3:prefix': prefix } },
    ];
  });
  const result = `arn:aws:s3:::${state}/athena-results/${'0'.repeat(8)}.csv`;
  return [own, ...reads, { action: 's3:GetBucketLocation', resource: `arn:aws:s3:::${state}`, context: { ...TLS } }, { action: 's3:PutObject', resource: result, context: { ...TLS } }];
}

function glueTableRequests(actions: string[], database: string, table: string | undefined, n: Names): IamRequest[] {
  // Glue authorizes a table read on the catalog, the database and the table; a database read on the first two.
  return actions.flatMap((action) => {
    const onTable = action !== 'glue:GetDatabase' && table !== undefined;
    const resources = [n.arn('glue', 'catalog'), n.arn('glue', `database/${database}`), ...(onTable ? [n.arn('glue', `table/${database}/${table}`)] : [])];
    return resources.map((resource) => ({ action, resource, context: { ...TLS } }));
  });
}

function glueRequests(operation: string, call: RecordedAwsCall, n: Names): IamRequest[] {
  const database = n.name('database', str(call.input.DatabaseName, 'DatabaseName'));
  switch (operation) {
    case 'GetTable':
      return glueTableRequests(['glue:GetTable'], database, n.name('table', str(call.input.Name, 'Name')), n);
    case 'GetPartitions':
    case 'GetPartition':
    case 'BatchGetPartition':
      return glueTableRequests([`glue:${operation}`], database, n.name('table', str(call.input.TableName, 'TableName')), n);
    case 'GetDatabase':
      return glueTableRequests(['glue:GetDatabase'], database, undefined, n);
  }
  throw new Error(`no IAM mapping for Glue ${operation}: add it to test/support/iamRequestsFor.ts`);
}

function ecsRequests(operation: string, call: RecordedAwsCall, n: Names): IamRequest[] {
  const cluster = n.name('cluster', typeof call.input.cluster === 'string' ? call.input.cluster : 'default');
  const clusterArn = n.arn('ecs', `cluster/${cluster}`);
  switch (operation) {
    case 'UpdateService':
      return [{ action: 'ecs:UpdateService', resource: n.arn('ecs', `service/${cluster}/${n.name('service', str(call.input.service, 'service'))}`), context: { ...TLS, 'ecs:cluster': clusterArn } }];
    case 'DescribeServices':
      return (call.input.services as string[]).map((s) => ({ action: 'ecs:DescribeServices', resource: n.arn('ecs', `service/${cluster}/${n.name('service', s)}`), context: { ...TLS, 'ecs:cluster': clusterArn } }));
    case 'DescribeTaskDefinition':
      return [{ action: 'ecs:DescribeTaskDefinition', resource: '*', context: { ...TLS } }];
    case 'RunTask': {
      const family = n.name('family', str(call.input.taskDefinition, 'taskDefinition')).replace(/:\d+$/, '');
      const roles = n.deployed.taskRoleArns;
      return [
        { action: 'ecs:RunTask', resource: n.arn('ecs', `task-definition/${family}:1`), context: { ...TLS, 'ecs:cluster': clusterArn } },
        ...[roles.find, roles.execution].map((role) => ({ action: 'iam:PassRole', resource: role, context: { ...TLS, 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } })),
      ];
    }
    case 'DescribeTasks':
    case 'StopTask': {
      const tasks = operation === 'StopTask' ? [str(call.input.task, 'task')] : (call.input.tasks as string[]);
      return tasks.map((t) => ({ action: `ecs:${operation}`, resource: n.arn('ecs', `task/${cluster}/${t.split('/').pop()}`), context: { ...TLS, 'ecs:cluster': clusterArn } }));
    }
  }
  throw new Error(`no IAM mapping for ECS ${operation}: add it to test/support/iamRequestsFor.ts`);
}

function snsRequests(operation: string, call: RecordedAwsCall, n: Names): IamRequest[] {
  if (operation !== 'Publish') throw new Error(`no IAM mapping for SNS ${operation}: add it to test/support/iamRequestsFor.ts`);
  const topic = n.name('topic', str(call.input.TopicArn, 'TopicArn'));
  const key = n.deployed.keyArn;
  return [
    { action: 'sns:Publish', resource: topic, context: { ...TLS } },
    ...(['kms:GenerateDataKey', 'kms:Decrypt'].map((action) => ({ action, resource: key, context: { ...TLS, 'kms:ViaService': `sns.${n.deployed.region}.amazonaws.com` } }))),
  ];
}

function ssmRequests(operation: string, call: RecordedAwsCall, n: Names): IamRequest[] {
  if (operation !== 'GetParameter') throw new Error(`no IAM mapping for SSM ${operation}: add it to test/support/iamRequestsFor.ts`);
  const name = n.name('parameter', str(call.input.Name, 'Name'));
  const parameter = n.arn('ssm', `parameter/${name.replace(/^\//, '')}`);
  // SSM decrypts a SecureString with the caller's rights. (It also names the parameter in the encryption
  // context, but iam-simulate ignores kms:EncryptionContext:<key> keys, so no policy may rely on it.)
  const decrypt = { 'kms:ViaService': `ssm.${n.deployed.region}.amazonaws.com` };
  return [
    { action: 'ssm:GetParameter', resource: parameter, context: { ...TLS } },
    ...(call.input.WithDecryption ? [{ action: 'kms:Decrypt', resource: n.deployed.keyArn, context: { ...TLS, ...decrypt } }] : []),
  ];
}

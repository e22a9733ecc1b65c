import * as pulumi from '@pulumi/pulumi';
import { createLethe } from '../../infra/lethe';
import { PolicyDocument } from '../../infra/policyDocument';
import { parseStackConfig } from '../../infra/stackConfig';
import { ACCOUNT, REGION, RecordingMocks, Registration, settled, valueOf } from './pulumiHarness';
import { containersOf, environmentOf, policyOf } from './securityChecks';
import { LetheRole } from './awsCallRecorder';

/** The policies one stack deploys, as IAM evaluates them, and the names its tasks are given. */
export interface DeployedPolicies {
  account: string;
  region: string;
  /** lethe's own key (state bucket, queues, topic, the HMAC key parameter). */
  keyArn: string;
  /** The environment the stack sets on the find task (the aws wiring contract). */
  environment: Record<string, string>;
  /** Per role: the principal ARN and the identity policies attached to it. */
  identities: Record<LetheRole, { principal: string; policies: Array<{ name: string; policy: PolicyDocument }> }>;
  /** Resource policies by resource ARN (buckets, queues, topics, the key). */
  resourcePolicies: Record<string, { name: string; policy: PolicyDocument }>;
  /** Bucket name -> the key its default SSE-KMS uses. */
  bucketKeys: Record<string, string>;
  /** Queue ARN -> the key its SSE uses. */
  queueKeys: Record<string, string>;
  /** Glue table ("database.table") -> its S3 location: what Athena reads with the caller's rights. */
  tableLocations: Record<string, string>;
  /** Task role and execution role ARNs (what a run-task would pass). */
  taskRoleArns: { find: string; forget: string; execution: string };
}

/**
 * The stack the end-to-end tests stand for: their lake bucket and Glue table (lake.customers over
 * s3://lake-bucket/customers/), the mapper they run, in a stack named "iam". Names the tests give
 * their moto resources map onto this stack's through the task environment (iamRequestsFor.ts).
 */
export const SIMULATED_STACK = {
  lake: {
    buckets: [{ name: 'lake-bucket', create: true }],
    tables: [
      {
        database: 'lake',
        name: 'customers',
        // The end-to-end job creates this table in moto's Glue: the stack references it, as an existing lake's.
        location: 's3://lake-bucket/customers/',
      },
    ],
  },
  dataMappers: [{ id: 'customers', location: { glue: { database: 'lake', table: 'customers' } }, columns: ['customer_id', 'user.email'], partitionKeys: ['year'] }],
  network: { vpcId: 'vpc-0abc', subnetIds: ['subnet-0aaa', 'subnet-0bbb'] },
};

let deployed: Promise<DeployedPolicies> | undefined;

/** Runs the Pulumi program under mocks once per process and collects the policies it produces. */
export function deployedPolicies(): Promise<DeployedPolicies> {
  deployed ??= produce();
  return deployed;
}

async function produce(): Promise<DeployedPolicies> {
  const mocks = new RecordingMocks();
  await pulumi.runtime.setMocks(mocks, 'lethe', 'iam', false);
  const outputs = createLethe(parseStackConfig(SIMULATED_STACK, 'iam'));
  await valueOf(outputs.letheCommand);
  await settled(mocks);
  const roleArn = (r: Registration) => `arn:aws:iam::${ACCOUNT}:role/${r.name}`;
  const rolePolicy = (suffix: string) => mocks.one('aws:iam/rolePolicy:RolePolicy', (r) => r.name.endsWith(`-iam-${suffix}`));
  const role = (suffix: string) => mocks.one('aws:iam/role:Role', (r) => r.name.endsWith(`-iam-${suffix}`));
  const identity = (suffix: string) => ({ principal: roleArn(role(suffix)), policies: [{ name: rolePolicy(suffix).name, policy: policyOf(rolePolicy(suffix)) }] });
  const managed = (suffix: string) => mocks.one('aws:iam/policy:Policy', (r) => r.name.endsWith(`-iam-${suffix}`));
  const person = (suffix: string) => ({ principal: `arn:aws:iam::${ACCOUNT}:role/data-protection-${suffix}`, policies: [{ name: managed(suffix).name, policy: policyOf(managed(suffix)) }] });
  const resourcePolicies: DeployedPolicies['resourcePolicies'] = {};
  for (const r of mocks.ofType('aws:s3/bucketPolicy:BucketPolicy')) resourcePolicies[`arn:aws:s3:::${String(r.inputs.bucket)}`] = { name: r.name, policy: policyOf(r) };
  for (const r of mocks.ofType('aws:sqs/queuePolicy:QueuePolicy')) resourcePolicies[queueArnOfUrl(String(r.inputs.queueUrl))] = { name: r.name, policy: policyOf(r) };
  for (const r of mocks.ofType('aws:sns/topicPolicy:TopicPolicy')) resourcePolicies[String(r.inputs.arn)] = { name: r.name, policy: policyOf(r) };
  const key = mocks.one('aws:kms/key:Key');
  const keyArn = await valueOf(outputs.kmsKeyArn);
  resourcePolicies[keyArn] = { name: key.name, policy: policyOf(key) };
  const bucketKeys: Record<string, string> = {};
  for (const r of mocks.ofType('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration')) {
    const rules = r.inputs.rules as Array<{ applyServerSideEncryptionByDefault: { kmsMasterKeyId: string } }>;
    bucketKeys[String(r.inputs.bucket)] = rules[0]!.applyServerSideEncryptionByDefault.kmsMasterKeyId;
  }
  const queueKeys: Record<string, string> = {};
  for (const q of mocks.ofType('aws:sqs/queue:Queue')) queueKeys[`arn:aws:sqs:${REGION}:${ACCOUNT}:${String(q.inputs.name)}`] = String(q.inputs.kmsMasterKeyId);
  const find = mocks.one('aws:ecs/taskDefinition:TaskDefinition', (t) => String(t.inputs.family).endsWith('-find'));
  const environment = environmentOf(containersOf(find)[0]!);
  return {
    account: ACCOUNT,
    region: REGION,
    keyArn,
    environment,
    identities: {
      find: identity('find'),
      forget: identity('forget'),
      operator: person('operator'),
      auditor: person('auditor'),
    },
    resourcePolicies,
    bucketKeys,
    queueKeys,
    tableLocations: tableLocations(environment),
    taskRoleArns: { find: roleArn(role('find')), forget: roleArn(role('forget')), execution: roleArn(role('execution')) },
  };
}

function tableLocations(environment: Record<string, string>): Record<string, string> {
  const lake = SIMULATED_STACK.lake.tables.map((t) => [`${t.database}.${t.name}`, t.location]);
  const manifests = `${environment.LETHE_GLUE_DATABASE}.${environment.LETHE_MANIFEST_TABLE}`;
  return Object.fromEntries([...lake, [manifests, `s3://${environment.LETHE_STATE_BUCKET}/jobs/`]]);
}

/** https://sqs.<region>.amazonaws.com/<account>/<name> (or moto's http://host/<account>/<name>) -> the queue ARN. */
export function queueArnOfUrl(url: string, region = REGION): string {
  const [account, name] = new URL(url).pathname.split('/').filter(Boolean);
  if (!account || !name) throw new Error(`not a queue URL: ${url}`);
  return `arn:aws:sqs:${region}:${account}:${name}`;
}

import * as assert from 'node:assert/strict';
import { ACCOUNT_WIDE_ACTIONS } from '../../infra/iamPolicies';
import { PolicyDocument, PolicyStatement } from '../../infra/policyDocument';
import { isRecord } from '../../shared/model/fields';
import { KEY_ARN, RecordingMocks, Registration, parseJson } from './pulumiHarness';

/** Where each kind of policy document sits in the program's resources. */
export const POLICY_FIELDS: ReadonlyArray<{ type: string; field: string; kind: 'identity' | 'trust' | 'resource' | 'key' }> = [
  { type: 'aws:iam/rolePolicy:RolePolicy', field: 'policy', kind: 'identity' },
  { type: 'aws:iam/policy:Policy', field: 'policy', kind: 'identity' },
  { type: 'aws:iam/role:Role', field: 'assumeRolePolicy', kind: 'trust' },
  { type: 'aws:s3/bucketPolicy:BucketPolicy', field: 'policy', kind: 'resource' },
  { type: 'aws:sqs/queuePolicy:QueuePolicy', field: 'policy', kind: 'resource' },
  { type: 'aws:sns/topicPolicy:TopicPolicy', field: 'policy', kind: 'resource' },
  { type: 'aws:kms/key:Key', field: 'policy', kind: 'key' },
];

export function policyOf(r: Registration, field = 'policy'): PolicyDocument {
  const doc = parseJson(r.inputs[field], `${r.type} ${r.name}.${field}`);
  assert.ok(isRecord(doc) && Array.isArray(doc.Statement), `${r.name}: not a policy document`);
  return doc as unknown as PolicyDocument;
}

export function statement(doc: PolicyDocument, sid: string): PolicyStatement {
  const found = doc.Statement.find((s) => s.Sid === sid);
  assert.ok(found, `no statement ${sid}`);
  return found;
}

/** Resource-level scope: no "*" and no wildcard in the account, region or bucket name. */
function assertScopedResource(resource: string, where: string): void {
  assert.notEqual(resource, '*', `${where}: Resource "*"`);
  const parts = resource.split(':');
  assert.ok(parts.length >= 6 && parts[0] === 'arn', `${where}: "${resource}" is not an ARN`);
  assert.ok(!parts.slice(1, 5).some((p) => p.includes('*')), `${where}: "${resource}" wildcards partition, service, region or account`);
  if (parts[2] === 's3') assert.ok(!parts[5]!.split('/')[0]!.includes('*'), `${where}: "${resource}" wildcards the bucket`);
  else assert.ok(parts.slice(5).join(':').replace(/\*$/, '').length > 0 && parts[5] !== '*', `${where}: "${resource}" wildcards the resource`);
}

export interface PolicyExpectations {
  logRetentionDays: number;
  maxReceiveCount: number;
}

/** The policies that must hold for every resource of a type, whatever the program grows. */
export function assertSecurityPolicies(mocks: RecordingMocks, expect: PolicyExpectations): void {
  assert.equal(mocks.ofType('aws:kms/key:Key').length, 1);
  assertBuckets(mocks);
  assertQueues(mocks, expect);
  assertLogGroups(mocks, expect);
  assertEncryptedTopicsAndRepositories(mocks);
  assertPolicyDocuments(mocks);
}

const keyArns = new Set([KEY_ARN]);
const count = (mocks: RecordingMocks, type: string) => mocks.ofType(type).length;

export function assertBuckets(mocks: RecordingMocks): void {
  // Every bucket: versioned, SSE-KMS under lethe's key with bucket keys, public access blocked,
  // ACLs off, TLS only and no other encryption.
  const buckets = mocks.ofType('aws:s3/bucket:Bucket');
  assert.ok(buckets.length >= 1);
  for (const bucket of buckets) {
    const name = typeof bucket.inputs.bucket === 'string' ? bucket.inputs.bucket : `${bucket.name}-0a1b2c3`;
    const of = (type: string) => mocks.ofType(type).filter((r) => r.inputs.bucket === name);
    const versioning = of('aws:s3/bucketVersioning:BucketVersioning');
    assert.equal(versioning.length, 1, `${name}: versioning`);
    assert.deepEqual(versioning[0]!.inputs.versioningConfiguration, { status: 'Enabled' });
    const sse = of('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration');
    assert.equal(sse.length, 1, `${name}: encryption`);
    const rules = sse[0]!.inputs.rules as Array<{ applyServerSideEncryptionByDefault: { sseAlgorithm: string; kmsMasterKeyId: string }; bucketKeyEnabled: boolean }>;
    assert.equal(rules.length, 1);
    assert.equal(rules[0]!.applyServerSideEncryptionByDefault.sseAlgorithm, 'aws:kms');
    assert.ok(keyArns.has(rules[0]!.applyServerSideEncryptionByDefault.kmsMasterKeyId), `${name}: not lethe's key`);
    assert.equal(rules[0]!.bucketKeyEnabled, true);
    const block = of('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock');
    assert.equal(block.length, 1, `${name}: public access block`);
    for (const flag of ['blockPublicAcls', 'blockPublicPolicy', 'ignorePublicAcls', 'restrictPublicBuckets']) assert.equal(block[0]!.inputs[flag], true, `${name}: ${flag}`);
    assert.deepEqual(of('aws:s3/bucketOwnershipControls:BucketOwnershipControls').map((r) => r.inputs.rule), [{ objectOwnership: 'BucketOwnerEnforced' }]);
    const policies = of('aws:s3/bucketPolicy:BucketPolicy');
    assert.equal(policies.length, 1, `${name}: bucket policy`);
    const doc = policyOf(policies[0]!);
    const tls = statement(doc, 'DenyInsecureTransport');
    assert.equal(tls.Effect, 'Deny');
    assert.deepEqual(tls.Condition, { Bool: { 'aws:SecureTransport': 'false' } });
    assert.deepEqual(tls.Resource, [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`]);
    assert.deepEqual(statement(doc, 'DenyOtherEncryption').Condition, {
      StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
      Null: { 's3:x-amz-server-side-encryption': 'false' },
    });
  }
  for (const type of ['aws:s3/bucketVersioning:BucketVersioning', 'aws:s3/bucketPolicy:BucketPolicy', 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock']) {
    assert.equal(count(mocks, type), buckets.length, `one ${type} per bucket`);
  }
}

export function assertQueues(mocks: RecordingMocks, expect: PolicyExpectations): void {
  // Every queue: SSE-KMS, TLS only, and either redrives to a dead-letter queue in the program or is one.
  const queues = mocks.ofType('aws:sqs/queue:Queue');
  const queueArn = (q: Registration) => `arn:aws:sqs:eu-west-1:123456789012:${String(q.inputs.name)}`;
  const queueUrl = (q: Registration) => `https://sqs.eu-west-1.amazonaws.com/123456789012/${String(q.inputs.name)}`;
  const deadLetterArns = new Set<string>();
  for (const q of queues) {
    assert.ok(keyArns.has(String(q.inputs.kmsMasterKeyId)), `${q.name}: SSE-KMS`);
    const policy = mocks.ofType('aws:sqs/queuePolicy:QueuePolicy').filter((p) => p.inputs.queueUrl === queueUrl(q));
    assert.equal(policy.length, 1, `${q.name}: queue policy`);
    const tls = statement(policyOf(policy[0]!), 'DenyInsecureTransport');
    assert.deepEqual([tls.Effect, tls.Resource, tls.Condition], ['Deny', [queueArn(q)], { Bool: { 'aws:SecureTransport': 'false' } }]);
    if (q.inputs.redrivePolicy !== undefined) {
      const redrive = parseJson(q.inputs.redrivePolicy, `${q.name}.redrivePolicy`) as { deadLetterTargetArn: string; maxReceiveCount: number };
      assert.equal(redrive.maxReceiveCount, expect.maxReceiveCount);
      const dlq = queues.find((other) => queueArn(other) === redrive.deadLetterTargetArn);
      assert.ok(dlq, `${q.name}: dead-letter queue not in the program`);
      assert.ok(Number(dlq.inputs.messageRetentionSeconds) >= Number(q.inputs.messageRetentionSeconds), `${q.name}: DLQ keeps messages shorter than the source`);
      deadLetterArns.add(redrive.deadLetterTargetArn);
    }
  }
  for (const q of queues) {
    if (q.inputs.redrivePolicy !== undefined) continue;
    assert.ok(deadLetterArns.has(queueArn(q)), `${q.name}: neither redrives nor is a dead-letter queue`);
    assert.equal(q.inputs.messageRetentionSeconds, 14 * 86_400, `${q.name}: keeps failures for inspection`);
    const allow = mocks.ofType('aws:sqs/redriveAllowPolicy:RedriveAllowPolicy').filter((p) => p.inputs.queueUrl === queueUrl(q));
    assert.equal(allow.length, 1, `${q.name}: redrive allow policy`);
  }
}

export function assertLogGroups(mocks: RecordingMocks, expect: PolicyExpectations): void {
  // Every log group: retention as configured and encrypted.
  const logGroups = mocks.ofType('aws:cloudwatch/logGroup:LogGroup');
  assert.ok(logGroups.length >= 2);
  for (const g of logGroups) {
    assert.equal(g.inputs.retentionInDays, expect.logRetentionDays, `${g.name}: retention`);
    assert.ok(keyArns.has(String(g.inputs.kmsKeyId)), `${g.name}: encrypted`);
  }
}

export function assertEncryptedTopicsAndRepositories(mocks: RecordingMocks): void {
  // Every topic encrypted; every repository encrypted and scanned.
  for (const t of mocks.ofType('aws:sns/topic:Topic')) assert.ok(keyArns.has(String(t.inputs.kmsMasterKeyId)), `${t.name}: SSE`);
  for (const r of mocks.ofType('aws:ecr/repository:Repository')) {
    assert.deepEqual(r.inputs.imageScanningConfiguration, { scanOnPush: true });
    assert.deepEqual(r.inputs.encryptionConfigurations, [{ encryptionType: 'KMS', kmsKey: [...keyArns][0] }]);
  }
}

export function assertPolicyDocuments(mocks: RecordingMocks): void {
  // Every policy document: no "*" in any action; identity policies scoped; no public Allow.
  let documents = 0;
  for (const { type, field, kind } of POLICY_FIELDS) {
    for (const r of mocks.ofType(type)) {
      const doc = policyOf(r, field);
      documents++;
      assert.equal(doc.Version, '2012-10-17');
      for (const s of doc.Statement) {
        const where = `${r.name} ${s.Sid}`;
        assert.ok(Array.isArray(s.Action) && s.Action.length > 0, `${where}: Action list`);
        for (const action of s.Action) assert.ok(/^[a-z0-9-]+:[A-Za-z0-9]+$/.test(action), `${where}: action "${action}" is a wildcard or malformed`);
        if (s.Effect === 'Allow') assert.notEqual(s.Principal, '*', `${where}: public Allow`);
        if (kind === 'identity' && s.Effect === 'Allow') {
          const accountWide = s.Action.every((a) => ACCOUNT_WIDE_ACTIONS.includes(a));
          for (const resource of s.Resource ?? []) {
            if (resource === '*' && accountWide) continue;
            assertScopedResource(resource, where);
          }
        }
        if (kind === 'trust') {
          assert.deepEqual(s.Action, ['sts:AssumeRole']);
          assert.equal(s.Condition?.StringEquals?.['aws:SourceAccount'], '123456789012', `${where}: confused-deputy guard`);
        }
        if (kind === 'key' || kind === 'resource') {
          if (s.Effect === 'Allow' && isRecord(s.Principal) && s.Principal.Service !== undefined) assert.ok(s.Condition, `${where}: service principal without condition`);
        }
      }
    }
  }
  assert.ok(documents >= 10, `only ${documents} policy documents found`);
  // Each role has exactly one inline policy and no managed one lethe cannot see.
  for (const role of mocks.ofType('aws:iam/role:Role')) {
    assert.equal(mocks.ofType('aws:iam/rolePolicy:RolePolicy').filter((p) => p.name === role.name).length, 1, `${role.name}: inline policy`);
  }
  assert.equal(count(mocks, 'aws:iam/rolePolicyAttachment:RolePolicyAttachment'), 0);
}

export interface ContainerDefinitionJson {
  name: string;
  image: string;
  entryPoint?: string[];
  command: string[];
  environment: Array<{ name: string; value: string }>;
  readonlyRootFilesystem: boolean;
  logConfiguration: { logDriver: string; options: Record<string, string> };
}

export function containersOf(taskDefinition: Registration): ContainerDefinitionJson[] {
  const parsed = parseJson(taskDefinition.inputs.containerDefinitions, `${taskDefinition.name}.containerDefinitions`);
  assert.ok(Array.isArray(parsed));
  return parsed as ContainerDefinitionJson[];
}

export function environmentOf(container: ContainerDefinitionJson): Record<string, string> {
  return Object.fromEntries(container.environment.map((e) => [e.name, e.value]));
}

import * as assert from 'node:assert/strict';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { secureBucketPolicy } from '../../infra/bucketPolicy';
import { lakeDatabasesToCreate } from '../../infra/catalog';
import { lakeTableSpec } from '../../infra/glueTables';
import { ACCOUNT_WIDE_ACTIONS, TaskPolicyScope, executionPolicy, findTaskPolicy, forgetTaskPolicy, operatorPolicy } from '../../infra/iamPolicies';
import { letheKeyPolicy } from '../../infra/keyPolicy';
import { lakeScopeFor } from '../../infra/lakeScope';
import { mapperConfigDocument } from '../../infra/mapperConfigDocument';
import { queueTimingsFor, redrivePolicyJson } from '../../infra/redrivePolicy';
import { resourceNamesFor } from '../../infra/resourceNames';
import { DeclaredLakeTable } from '../../infra/stackConfig';
import { stateBucketLifecycleRules } from '../../infra/stateBucketLifecycle';
import { privateSubnetCidrs } from '../../infra/subnetCidrs';
import { shellEnvironment } from '../../infra/taskEnvironment';
import { fargateSizeFor, forgetTaskSize, memoryLimitMiB } from '../../infra/taskSize';
import { parseLetheConfig } from '../../shared/model/config';
import { DataMapper } from '../../shared/model/dataMapper';
import { DEFAULT_SETTINGS } from '../../shared/model/settings';

const table = (database: string, name: string, location: string): DeclaredLakeTable => ({
  database,
  name,
  location,
  create: true,
  format: 'parquet',
  columns: [{ name: 'id', type: 'bigint' }],
  partitionKeys: [],
  projection: {},
});
const mapper = (id: string, database: string, tableName: string): DataMapper => ({
  id,
  location: { kind: 'glue', database, table: tableName },
  columns: ['id'],
  partitionKeys: [],
  deleteOldVersions: true,
  ignoreObjectNotFound: false,
});
const aws = { partition: 'aws', region: 'eu-west-1', accountId: '123456789012' };
const scope = (over: Partial<TaskPolicyScope> = {}): TaskPolicyScope => ({
  ...aws,
  stateBucket: 'state',
  kmsKeyArns: ['arn:aws:kms:eu-west-1:123456789012:key/k'],
  letheKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/k',
  hmacKeyParameter: '/lethe/dev/hmac-key',
  jobTopic: 'lethe-dev-jobs',
  lake: { tables: [{ database: 'lake', table: 't' }], locations: [{ bucket: 'lake', prefix: 't/' }] },
  letheDatabase: 'lethe_dev',
  manifestsTable: 'manifests',
  workgroup: 'lethe-dev',
  deletionQueueArn: 'arn:aws:sqs:eu-west-1:123456789012:q',
  deadLetterQueueArn: 'arn:aws:sqs:eu-west-1:123456789012:dlq',
  cluster: 'lethe-dev',
  forgetService: 'lethe-dev-forget',
  ...over,
});
const allActions = (doc: { Statement: Array<{ Action: string[] }> }) => doc.Statement.flatMap((s) => s.Action);

describe('infra decisions (pure, no Pulumi)', () => {
  describe('task size', () => {
    it('picks the smallest Fargate size that fits', () => {
      assert.deepEqual(fargateSizeFor({ cpu: 256, memory: 512 }), { cpu: 256, memory: 512 });
      assert.deepEqual(fargateSizeFor({ cpu: 256, memory: 2049 }), { cpu: 512, memory: 3072 });
      assert.deepEqual(fargateSizeFor({ cpu: 1024, memory: 2560 }), { cpu: 1024, memory: 3072 });
      assert.deepEqual(fargateSizeFor({ cpu: 8192, memory: 16385 }), { cpu: 8192, memory: 20480 });
    });
    it('gives the worker one DuckDB memory limit plus overhead, and half a vCPU per rewrite', () => {
      assert.deepEqual(forgetTaskSize(DEFAULT_SETTINGS), { cpu: 1024, memory: 2048 });
      assert.deepEqual(forgetTaskSize({ forgetConcurrency: 1, duckdbMemoryLimit: '512MB' }), { cpu: 512, memory: 1024 });
      assert.deepEqual(forgetTaskSize({ forgetConcurrency: 6, duckdbMemoryLimit: '4GB' }), { cpu: 4096, memory: 8192 });
      assert.deepEqual(forgetTaskSize({ forgetConcurrency: 8, duckdbMemoryLimit: '4GB' }), { cpu: 4096, memory: 8192 });
    });
    it('fails loudly when no Fargate size fits', () => {
      assert.throws(() => forgetTaskSize({ forgetConcurrency: 64, duckdbMemoryLimit: '4GB' }), { name: 'InputError', message: /no Fargate task size has 32768 CPU units/ });
    });
    it('reads memory limits in every unit DuckDB accepts', () => {
      assert.deepEqual(['512MB', '1GB', '1.5GiB', '2048KB', '1TB'].map(memoryLimitMiB), [512, 1024, 1536, 2, 1024 * 1024]);
    });
  });

  describe('queues', () => {
    it('redrives after maxReceiveCount to the dead-letter queue', () => {
      assert.deepEqual(JSON.parse(redrivePolicyJson('arn:dlq', 3)), { deadLetterTargetArn: 'arn:dlq', maxReceiveCount: 3 });
    });
    it('keeps dead letters longer than work and the visibility the heartbeat window', () => {
      const t = queueTimingsFor(120);
      assert.equal(t.visibilityTimeoutSeconds, 120);
      assert.ok(t.deadLetterRetentionSeconds >= t.deletionRetentionSeconds);
      assert.equal(t.deadLetterRetentionSeconds, 1_209_600);
    });
  });

  describe('state bucket lifecycle', () => {
    const rules = stateBucketLifecycleRules(30);
    const rule = (id: string) => rules.find((r) => r.id === id)!;
    it('expires Athena results and temp files after a day, job details after retentionDays', () => {
      assert.deepEqual(rule('athena-results').expiration, { days: 1 });
      assert.deepEqual(rule('temp-files').expiration, { days: 1 });
      assert.deepEqual(rule('job-details'), { id: 'job-details', status: 'Enabled', filter: { prefix: 'jobs/' }, expiration: { days: 30 }, noncurrentVersionExpiration: { noncurrentDays: 1 } });
    });
    it('expires tagged manifests within a week as a backstop, never later than job details', () => {
      assert.deepEqual(rule('manifests').filter, { and: { prefix: 'jobs/', tags: { 'lethe-content': 'match-ids' } } });
      assert.deepEqual(rule('manifests').expiration, { days: 7 });
      assert.deepEqual(stateBucketLifecycleRules(3).find((r) => r.id === 'manifests')!.expiration, { days: 3 });
    });
    it('never expires queue batches nobody has served, but drops their old versions', () => {
      assert.equal(rule('served-queue-batches').expiration, undefined);
      assert.deepEqual(rule('served-queue-batches').noncurrentVersionExpiration, { noncurrentDays: 1 });
    });
    it('drops noncurrent versions of every prefix that holds match IDs within a day', () => {
      for (const id of ['athena-results', 'temp-files', 'served-queue-batches', 'manifests', 'job-details']) assert.deepEqual(rule(id).noncurrentVersionExpiration, { noncurrentDays: 1 }, id);
    });
  });

  describe('lake scope', () => {
    it('keeps only mapped tables, and a prefix inside another once', () => {
      const tables = [table('a', 'one', 's3://b1/x/'), table('a', 'two', 's3://b1/x/y/'), table('a', 'three', 's3://b2/z/'), table('a', 'unmapped', 's3://b3/')];
      const mappers = [mapper('m1', 'a', 'one'), mapper('m2', 'a', 'two'), mapper('m3', 'a', 'three'), mapper('m4', 'a', 'one')];
      const scopeOf = lakeScopeFor(mappers, tables);
      assert.deepEqual(scopeOf.tables, [
        { database: 'a', table: 'one' },
        { database: 'a', table: 'two' },
        { database: 'a', table: 'three' },
      ]);
      assert.deepEqual(scopeOf.locations, [
        { bucket: 'b1', prefix: 'x/' },
        { bucket: 'b2', prefix: 'z/' },
      ]);
    });
    it('does not mutate its inputs', () => {
      const tables = [table('a', 'two', 's3://b/y/'), table('a', 'one', 's3://b/x/')];
      const copy = structuredClone(tables);
      lakeScopeFor([mapper('m', 'a', 'two'), mapper('n', 'a', 'one')], tables);
      assert.deepEqual(tables, copy);
    });
  });

  describe('IAM policy documents', () => {
    it('never grant a wildcard action', () => {
      const docs = [findTaskPolicy(scope()), forgetTaskPolicy(scope()), operatorPolicy(scope()), executionPolicy({ ...aws, repository: 'r', logGroups: ['/g'] }), letheKeyPolicy(aws)];
      for (const action of docs.flatMap(allActions)) assert.doesNotMatch(action, /\*/);
    });
    it('grant Resource "*" only for actions IAM cannot scope', () => {
      const docs = [findTaskPolicy(scope()), forgetTaskPolicy(scope()), executionPolicy({ ...aws, repository: 'r', logGroups: ['/g'] }), operatorPolicy(scope())];
      for (const s of docs.flatMap((d) => d.Statement)) if (s.Resource?.includes('*')) assert.ok(s.Action.every((a) => ACCOUNT_WIDE_ACTIONS.includes(a)), s.Sid);
    });
    it('let only the forget role delete lake object versions, under mapped prefixes; find and operators purge only state versions', () => {
      const deletes = (doc: ReturnType<typeof forgetTaskPolicy>) => doc.Statement.filter((s) => s.Action.includes('s3:DeleteObjectVersion')).flatMap((s) => s.Resource);
      const stateVersions = ['arn:aws:s3:::state/jobs/*', 'arn:aws:s3:::state/queue/*', 'arn:aws:s3:::state/lock.json*'];
      assert.deepEqual(deletes(findTaskPolicy(scope())), stateVersions);
      assert.deepEqual(deletes(operatorPolicy(scope())), stateVersions);
      assert.deepEqual(deletes(forgetTaskPolicy(scope())), ['arn:aws:s3:::lake/t/*']);
    });
    it('put nothing of the lake in reach when no mapper is configured', () => {
      const empty = scope({ lake: { tables: [], locations: [] } });
      const forget = forgetTaskPolicy(empty);
      assert.deepEqual(forget.Statement.find((s) => s.Sid === 'RewriteMappedObjects')!.Resource, []);
      assert.ok(!forget.Statement.some((s) => s.Sid.startsWith('ListMappedVersions')));
    });
    it('use the partition for every ARN', () => {
      const given = { kmsKeyArns: ['arn:aws-cn:kms:cn-north-1:1:key/k'], letheKeyArn: 'arn:aws-cn:kms:cn-north-1:1:key/k', deletionQueueArn: 'arn:aws-cn:sqs:cn-north-1:1:q', deadLetterQueueArn: 'arn:aws-cn:sqs:cn-north-1:1:d' };
      const cn = JSON.stringify([findTaskPolicy(scope({ partition: 'aws-cn', ...given })), forgetTaskPolicy(scope({ partition: 'aws-cn', ...given }))]);
      assert.doesNotMatch(cn, /arn:aws:/);
    });
  });

  describe('bucket policy', () => {
    it('denies plain HTTP and other encryption for the bucket and its objects', () => {
      const doc = secureBucketPolicy('arn:aws:s3:::b', 'arn:key');
      assert.deepEqual(doc.Statement.map((s) => [s.Sid, s.Effect]), [
        ['DenyInsecureTransport', 'Deny'],
        ['DenyOtherEncryption', 'Deny'],
        ['DenyOtherKey', 'Deny'],
      ]);
      assert.deepEqual(doc.Statement[2]!.Condition, {
        StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'arn:key' },
        Null: { 's3:x-amz-server-side-encryption': 'false' },
      });
    });
    it('lets a write that relies on the bucket default through and refuses any other encryption (IAM simulation)', async () => {
      const key = 'arn:aws:kms:eu-west-1:123456789012:key/k';
      const put = async (headers: Record<string, string>) => {
        const response = await runSimulation(
          {
            request: {
              principal: 'arn:aws:iam::123456789012:role/writer',
              action: 's3:PutObject',
              resource: { resource: 'arn:aws:s3:::b/lock.json', accountId: '123456789012' },
              contextVariables: { 'aws:SecureTransport': 'true', ...headers },
            },
            identityPolicies: [{ name: 'writer', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:PutObject'], Resource: ['arn:aws:s3:::b/*'] }] } }],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            resourcePolicy: secureBucketPolicy('arn:aws:s3:::b', key),
          },
          {},
        );
        assert.ok(response.resultType !== 'error', JSON.stringify(response));
        return response.overallResult;
      };
      const sse = 's3:x-amz-server-side-encryption';
      assert.equal(await put({}), 'Allowed', 'no encryption header: the bucket default (lethe key) applies');
      assert.equal(await put({ [sse]: 'aws:kms', [`${sse}-aws-kms-key-id`]: key }), 'Allowed');
      assert.equal(await put({ [sse]: 'aws:kms' }), 'ExplicitlyDenied', 'aws:kms without a key id means aws/s3');
      assert.equal(await put({ [sse]: 'aws:kms', [`${sse}-aws-kms-key-id`]: 'arn:aws:kms:eu-west-1:123456789012:key/other' }), 'ExplicitlyDenied');
      assert.equal(await put({ [sse]: 'AES256' }), 'ExplicitlyDenied');
    });
  });

  describe('mapper config document', () => {
    it('round-trips through parseLetheConfig, the tasks own parser', () => {
      const mappers: DataMapper[] = [{ ...mapper('a', 'lake', 't'), format: 'json', partitionKeys: ['dt'] }, { ...mapper('b', 'lake', 'u'), deleteOldVersions: false }];
      const settings = { ...DEFAULT_SETTINGS, fleetMaxTasks: 9 };
      const parsed = parseLetheConfig(JSON.parse(JSON.stringify(mapperConfigDocument({ dataMappers: mappers, settings }))), 'config');
      assert.deepEqual(parsed, { dataMappers: mappers, settings });
    });
  });

  describe('glue tables', () => {
    it('creates a lake database only when every table named in it is one lethe declares', () => {
      const referenced = (database: string, name: string) => ({ database, name, location: `s3://b/${name}/`, create: false as const });
      const tables = [table('fresh', 'a', 's3://b/a/'), table('mixed', 'b', 's3://b/b/'), referenced('mixed', 'c'), referenced('existing', 'd')];
      assert.deepEqual(lakeDatabasesToCreate(tables), ['fresh']);
    });

    it('declares CSV with its header skipped, comma-separated and unquoted (OpenCSVSerde)', () => {
      const spec = lakeTableSpec({ ...table('lake', 'clicks', 's3://b/c/'), format: 'csv' });
      assert.equal(spec.parameters['skip.header.line.count'], '1');
      assert.equal(spec.storageDescriptor.serDeInfo.serializationLibrary, 'org.apache.hadoop.hive.serde2.OpenCSVSerde');
      assert.deepEqual(spec.storageDescriptor.serDeInfo.parameters, { separatorChar: ',', quoteChar: '"', escapeChar: '\\' });
    });
  });

  describe('names and network', () => {
    it('derives physical names from the stack, Glue-safe', () => {
      const n = resourceNamesFor('Prod-EU');
      assert.deepEqual([n.cluster, n.glueDatabase, n.findFamily, n.findLogGroup], ['lethe-prod-eu', 'lethe_prod_eu', 'lethe-prod-eu-find', '/lethe/prod-eu/find']);
    });
    it('splits the VPC block into /20 subnets, or four bits longer', () => {
      assert.deepEqual(privateSubnetCidrs('10.80.0.0/16', 3), ['10.80.0.0/20', '10.80.16.0/20', '10.80.32.0/20']);
      assert.deepEqual(privateSubnetCidrs('192.168.4.0/22', 2), ['192.168.4.0/26', '192.168.4.64/26']);
      assert.throws(() => privateSubnetCidrs('10.0.0.0/28', 1), { name: 'InputError' });
    });
    it('quotes shell values that need it', () => {
      assert.equal(shellEnvironment([{ name: 'A', value: 'x/y' }, { name: 'B', value: "it's" }]), `A=x/y B='it'\\''s'`);
    });
  });
});

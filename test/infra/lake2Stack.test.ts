import * as assert from 'node:assert/strict';
import * as pulumi from '@pulumi/pulumi';
import { createLethe } from '../../infra/lethe';
import { LetheStackConfig, parseStackConfig } from '../../infra/stackConfig';
import { parseAwsEnv } from '../../shared/environment/awsEnvironment';
import { parseLetheConfig } from '../../shared/model/config';
import { KEY_ARN, RecordingMocks, parseJson, settled, stackConfigFromFile, valueOf } from '../support/pulumiHarness';
import { assertSecurityPolicies, containersOf, environmentOf, policyOf, statement } from '../support/securityChecks';

const RAW_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/0f0f0f0f-1111-2222-3333-444444444444';

describe('infra: a second stack, a lake in two buckets with three mappers', function () {
  this.timeout(60_000);
  const mocks = new RecordingMocks();
  let config: LetheStackConfig;

  before(async () => {
    await pulumi.runtime.setMocks(mocks, 'lethe', 'lake2', false);
    config = parseStackConfig(stackConfigFromFile('test/infra/Pulumi.lake2.yaml'), 'lake2');
    await valueOf(createLethe(config).letheCommand);
    await settled(mocks);
  });

  it('holds the same security policies', () => {
    assertSecurityPolicies(mocks, { logRetentionDays: 365, maxReceiveCount: 5 });
  });

  it('creates no lake bucket and no network for an existing lake and existing subnets', () => {
    assert.deepEqual(mocks.ofType('aws:s3/bucket:Bucket').map((b) => b.name), ['lethe-lake2-state']);
    assert.equal(mocks.ofType('aws:ec2/vpc:Vpc').length, 0);
    assert.equal(mocks.one('aws:ec2/securityGroup:SecurityGroup').inputs.vpcId, 'vpc-0abc');
    const service = mocks.one('aws:ecs/service:Service');
    assert.deepEqual(service.inputs.networkConfiguration, { subnets: ['subnet-0aaa', 'subnet-0bbb', 'subnet-0ccc'], securityGroups: ['sg-lethe-lake2-network-tasks'], assignPublicIp: false });
  });

  it('references the existing Glue tables: no lake database or table is a resource, so destroy cannot delete one', () => {
    assert.deepEqual(mocks.ofType('aws:glue/catalogDatabase:CatalogDatabase').map((d) => d.inputs.name), ['lethe_lake2']);
    assert.deepEqual(
      mocks.ofType('aws:glue/catalogTable:CatalogTable').map((t) => `${String(t.inputs.databaseName)}.${String(t.inputs.name)}`),
      ['lethe_lake2.manifests'],
    );
  });

  it('still scopes the find role to each referenced table by ARN, and its database', () => {
    const find = policyOf(mocks.one('aws:iam/rolePolicy:RolePolicy', (p) => p.name === 'lethe-lake2-iam-find'));
    const glue = statement(find, 'ReadMappedTables').Resource ?? [];
    for (const arn of [
      'arn:aws:glue:eu-west-1:123456789012:table/raw/events',
      'arn:aws:glue:eu-west-1:123456789012:table/raw/clicks',
      'arn:aws:glue:eu-west-1:123456789012:table/curated/customers',
      'arn:aws:glue:eu-west-1:123456789012:database/raw',
      'arn:aws:glue:eu-west-1:123456789012:database/curated',
    ]) {
      assert.ok(glue.includes(arn), `${arn} in ${JSON.stringify(glue)}`);
    }
    assert.ok(!glue.some((arn) => arn.endsWith('/audit')), 'the unmapped table stays out of scope');
  });

  it('writes the three mappers to the state bucket', () => {
    const object = mocks.one('aws:s3/bucketObjectv2:BucketObjectv2');
    const parsed = parseLetheConfig(parseJson(object.inputs.content, 'config'), 'config/lethe.json');
    assert.deepEqual(parsed.dataMappers, config.dataMappers);
    assert.deepEqual(
      parsed.dataMappers.map((m) => [m.id, m.location, m.deleteOldVersions]),
      [
        ['raw-events', { kind: 'glue', database: 'raw', table: 'events' }, true],
        ['raw_clicks', { kind: 'glue', database: 'raw', table: 'clicks' }, false],
        ['customers', { kind: 'glue', database: 'curated', table: 'customers' }, true],
      ],
    );
    assert.equal(parsed.settings.maxReceiveCount, 5);
  });

  it('scopes both roles to the three mapped locations in two buckets, never the unmapped audit table', () => {
    const lake = ['arn:aws:s3:::acme-curated/warehouse/customers/*', 'arn:aws:s3:::acme-raw/clicks/2024/*', 'arn:aws:s3:::acme-raw/events/*'];
    const find = policyOf(mocks.one('aws:iam/rolePolicy:RolePolicy', (p) => p.name === 'lethe-lake2-iam-find'));
    const forget = policyOf(mocks.one('aws:iam/rolePolicy:RolePolicy', (p) => p.name === 'lethe-lake2-iam-forget'));
    assert.deepEqual(statement(find, 'ReadMappedLocations').Resource, lake);
    assert.deepEqual(statement(forget, 'RewriteMappedObjects').Resource, lake);
    assert.deepEqual(
      forget.Statement.filter((s) => s.Sid.startsWith('ListMappedVersions')).map((s) => [s.Resource, s.Condition]),
      [
        [['arn:aws:s3:::acme-curated'], { StringLike: { 's3:prefix': ['warehouse/customers/*'] } }],
        [['arn:aws:s3:::acme-raw'], { StringLike: { 's3:prefix': ['clicks/2024/*', 'events/*'] } }],
      ],
    );
    const glue = statement(find, 'ReadMappedTables').Resource ?? [];
    assert.ok(glue.includes('arn:aws:glue:eu-west-1:123456789012:table/raw/clicks'));
    assert.ok(glue.includes('arn:aws:glue:eu-west-1:123456789012:table/curated/customers'));
    const everything = JSON.stringify([find, forget]);
    assert.ok(!everything.includes('audit'), 'the unmapped table is out of scope');
    assert.deepEqual(statement(forget, 'UseLetheAndLakeKeys').Resource, [KEY_ARN, RAW_KEY]);
  });

  it('sizes the forget task for four rewrites sharing a 2GB DuckDB limit and wires the same environment', () => {
    const [find, forget] = mocks.ofType('aws:ecs/taskDefinition:TaskDefinition');
    assert.deepEqual([forget!.inputs.cpu, forget!.inputs.memory], ['2048', '4096']);
    for (const def of [find!, forget!]) {
      const env = parseAwsEnv(environmentOf(containersOf(def)[0]!));
      assert.deepEqual([env.cluster, env.forgetService, env.findTaskDefinition, env.glueDatabase], ['lethe-lake2', 'lethe-lake2-forget', 'lethe-lake2-find', 'lethe_lake2']);
    }
    const queue = mocks.one('aws:sqs/queue:Queue', (q) => q.inputs.name === 'lethe-lake2-deletion');
    assert.equal(queue.inputs.visibilityTimeoutSeconds, 300);
  });

  it('has no e-mail subscription when none is configured', () => {
    assert.equal(mocks.ofType('aws:sns/topicSubscription:TopicSubscription').length, 0);
  });
});

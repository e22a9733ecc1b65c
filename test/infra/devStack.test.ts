import * as assert from 'node:assert/strict';
import * as pulumi from '@pulumi/pulumi';
import { LetheOutputs, createLethe } from '../../infra/lethe';
import { LetheStackConfig, parseStackConfig } from '../../infra/stackConfig';
import { stateBucketLifecycleRules } from '../../infra/stateBucketLifecycle';
import { parseAwsEnv } from '../../shared/environment/awsEnvironment';
import { parseLetheConfig } from '../../shared/model/config';
import { KEY_ARN, RecordingMocks, Registration, parseJson, settled, stackConfigFromFile, valueOf } from '../support/pulumiHarness';
import { assertSecurityPolicies, containersOf, environmentOf, policyOf, statement } from '../support/securityChecks';

const STATE = 'lethe-dev-state-0a1b2c3';

describe('infra: the dev stack (Pulumi.dev.yaml) under mocks', function () {
  this.timeout(60_000);
  const mocks = new RecordingMocks();
  let config: LetheStackConfig;
  let outputs: LetheOutputs;

  before(async () => {
    await mocks.install('lethe', 'dev');
    config = parseStackConfig(stackConfigFromFile('Pulumi.dev.yaml'), 'dev');
    outputs = createLethe(config);
    await valueOf(outputs.letheCommand);
    await settled(mocks);
  });

  it('holds the security policies for every bucket, queue, log group and policy document', () => {
    assertSecurityPolicies(mocks, { logRetentionDays: 90, maxReceiveCount: 3 });
  });

  it('creates the state bucket with lifecycle rules, and the fresh lake bucket', () => {
    assert.deepEqual(
      mocks.ofType('aws:s3/bucket:Bucket').map((b) => b.inputs.bucket ?? b.name),
      ['lethe-dev-state', 'acme-lethe-dev-lake'],
    );
    const lifecycle = mocks.one('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration');
    assert.equal(lifecycle.inputs.bucket, STATE);
    assert.deepEqual(lifecycle.inputs.rules, stateBucketLifecycleRules(30));
    const key = mocks.one('aws:kms/key:Key');
    assert.equal(key.inputs.enableKeyRotation, true);
    assert.equal(mocks.one('aws:kms/alias:Alias').inputs.name, 'alias/lethe-dev');
  });

  it('keeps the HMAC key in an SSM SecureString under lethe\'s key, generated once and left alone by later ups', () => {
    const parameter = mocks.one('aws:ssm/parameter:Parameter');
    assert.deepEqual([parameter.inputs.name, parameter.inputs.type, parameter.inputs.keyId], ['/lethe/dev/hmac-key', 'SecureString', KEY_ARN]);
    // Mocks hand a secret over as Pulumi's secret envelope: the value is marked secret in the state.
    const secret = parameter.inputs.value as { '4dabf18193072939515e22adb298388d': string; value: unknown };
    assert.equal(secret['4dabf18193072939515e22adb298388d'], '1b47061264138c4ac30d75fd1eb44270', 'a secret');
    assert.match(String(secret.value), /^[0-9a-f]{64}$/);
    assert.deepEqual(parameter.ignoreChanges, ['value'], 'a new key would make every stored hash unfindable');
  });

  it('declares the Glue manifests table with partition projection over the state bucket', () => {
    assert.deepEqual(mocks.ofType('aws:glue/catalogDatabase:CatalogDatabase').map((d) => d.inputs.name).sort(), ['acme_lake_dev', 'lethe_dev']);
    const manifests = mocks.one('aws:glue/catalogTable:CatalogTable', (t) => t.inputs.name === 'manifests');
    assert.equal(manifests.inputs.databaseName, 'lethe_dev');
    assert.deepEqual(manifests.inputs.parameters, {
      classification: 'json',
      'projection.enabled': 'true',
      'projection.job_id.type': 'injected',
      'projection.mapper_id.type': 'injected',
      'storage.location.template': `s3://${STATE}/jobs/\${job_id}/manifests/\${mapper_id}/`,
    });
    assert.deepEqual(manifests.inputs.partitionKeys, [
      { name: 'job_id', type: 'string' },
      { name: 'mapper_id', type: 'string' },
    ]);
    const storage = manifests.inputs.storageDescriptor as { columns: unknown; serDeInfo: { serializationLibrary: string } };
    assert.deepEqual(storage.columns, [
      { name: 'match_columns', type: 'string' },
      { name: 'values', type: 'array<string>' },
    ]);
    assert.equal(storage.serDeInfo.serializationLibrary, 'org.openx.data.jsonserde.JsonSerDe');
  });

  it('declares the lake tables of the stack config in Glue', () => {
    const customers = mocks.one('aws:glue/catalogTable:CatalogTable', (t) => t.inputs.name === 'customers');
    const sd = customers.inputs.storageDescriptor as { location: string; serDeInfo: { serializationLibrary: string }; columns: unknown };
    assert.equal(customers.inputs.databaseName, 'acme_lake_dev');
    assert.equal(sd.location, 's3://acme-lethe-dev-lake/customers/');
    assert.equal(sd.serDeInfo.serializationLibrary, 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
    assert.deepEqual(customers.inputs.partitionKeys, [{ name: 'year', type: 'string' }]);
    assert.equal((sd.columns as unknown[]).length, 4);
    const orders = mocks.one('aws:glue/catalogTable:CatalogTable', (t) => t.inputs.name === 'orders');
    assert.equal((orders.inputs.storageDescriptor as { serDeInfo: { serializationLibrary: string } }).serDeInfo.serializationLibrary, 'org.openx.data.jsonserde.JsonSerDe');
  });

  it('keeps the lake tables and database it declares on pulumi destroy, but not its own manifests table', () => {
    const retained = (type: string) => mocks.ofType(type).filter((r) => r.retainOnDelete).map((r) => String(r.inputs.name)).sort();
    assert.deepEqual(retained('aws:glue/catalogTable:CatalogTable'), ['customers', 'orders']);
    assert.deepEqual(retained('aws:glue/catalogDatabase:CatalogDatabase'), ['acme_lake_dev']);
  });

  it('gives each declared partitioned table partition projection, so it has partitions without a crawler', () => {
    const parameters = (name: string) => mocks.one('aws:glue/catalogTable:CatalogTable', (t) => t.inputs.name === name).inputs.parameters;
    assert.deepEqual(parameters('customers'), {
      classification: 'parquet',
      'projection.enabled': 'true',
      'projection.year.type': 'integer',
      'projection.year.range': '2015,2035',
    });
    assert.deepEqual(parameters('orders'), {
      classification: 'json',
      'projection.enabled': 'true',
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      'projection.dt.range': 'NOW-3YEARS,NOW',
      'projection.dt.interval.unit': 'DAYS',
    });
  });

  it('writes the mappers and settings to the state bucket in the shape parseLetheConfig reads', () => {
    const object = mocks.one('aws:s3/bucketObjectv2:BucketObjectv2');
    assert.deepEqual([object.inputs.bucket, object.inputs.key, object.inputs.serverSideEncryption, object.inputs.kmsKeyId], [STATE, 'config/lethe.json', 'aws:kms', KEY_ARN]);
    const parsed = parseLetheConfig(parseJson(object.inputs.content, 'config'), 'config/lethe.json');
    assert.deepEqual(parsed.dataMappers, config.dataMappers);
    assert.deepEqual(parsed.dataMappers.map((m) => m.id), ['customers', 'orders']);
    assert.deepEqual(parsed.settings, config.settings);
    assert.equal(parsed.settings.requireApproval, true);
  });

  it('enforces the Athena workgroup: engine v3, encrypted results in the state bucket, a scan cutoff', () => {
    const wg = mocks.one('aws:athena/workgroup:Workgroup');
    assert.equal(wg.inputs.name, 'lethe-dev');
    assert.deepEqual(wg.inputs.configuration, {
      enforceWorkgroupConfiguration: true,
      publishCloudwatchMetricsEnabled: true,
      bytesScannedCutoffPerQuery: 10_737_418_240,
      engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
      resultConfiguration: {
        outputLocation: `s3://${STATE}/athena-results/`,
        encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKeyArn: KEY_ARN },
      },
    });
  });

  it('sizes the deletion queue for the heartbeat and redrives after maxReceiveCount', () => {
    const queue = mocks.one('aws:sqs/queue:Queue', (q) => q.inputs.name === 'lethe-dev-deletion');
    assert.equal(queue.inputs.visibilityTimeoutSeconds, 120);
    assert.equal(queue.inputs.messageRetentionSeconds, 4 * 86_400);
    assert.deepEqual(parseJson(queue.inputs.redrivePolicy, 'redrive'), { deadLetterTargetArn: 'arn:aws:sqs:eu-west-1:123456789012:lethe-dev-deletion-dlq', maxReceiveCount: 3 });
    const allow = mocks.one('aws:sqs/redriveAllowPolicy:RedriveAllowPolicy');
    assert.deepEqual(parseJson(allow.inputs.redriveAllowPolicy, 'allow'), {
      redrivePermission: 'byQueue',
      sourceQueueArns: ['arn:aws:sqs:eu-west-1:123456789012:lethe-dev-deletion'],
    });
  });

  it('runs the find task and the forget service from one image, with the environment the tasks parse', async () => {
    const image = mocks.one('awsx:ecr:Image');
    assert.deepEqual(image.inputs, {
      repositoryUrl: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/lethe-dev',
      context: '.',
      dockerfile: './Dockerfile',
      platform: 'linux/amd64',
    });
    const defs = mocks.ofType('aws:ecs/taskDefinition:TaskDefinition');
    assert.deepEqual(defs.map((d) => [d.inputs.family, d.inputs.cpu, d.inputs.memory]), [
      ['lethe-dev-find', '512', '1024'],
      ['lethe-dev-forget', '1024', '2048'],
    ]);
    const expected = {
      mode: 'aws',
      stateBucket: STATE,
      queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/lethe-dev-deletion',
      deadLetterQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/lethe-dev-deletion-dlq',
      athenaWorkGroup: 'lethe-dev',
      glueDatabase: 'lethe_dev',
      manifestTable: 'manifests',
      hmacKeyParameter: '/lethe/dev/hmac-key',
      topicArn: 'arn:aws:sns:eu-west-1:123456789012:lethe-dev-jobs',
      cluster: 'lethe-dev',
      forgetService: 'lethe-dev-forget',
      findTaskDefinition: 'lethe-dev-find',
      configKey: 'config/lethe.json',
      tempDirectory: '/tmp',
      region: 'eu-west-1',
    };
    for (const def of defs) {
      assert.deepEqual(def.inputs.requiresCompatibilities, ['FARGATE']);
      assert.equal(def.inputs.executionRoleArn, 'arn:aws:iam::123456789012:role/lethe-dev-iam-execution');
      const [container, ...more] = containersOf(def);
      assert.equal(more.length, 0);
      assert.equal(container!.image, `123456789012.dkr.ecr.eu-west-1.amazonaws.com/lethe-dev@sha256:${'0'.repeat(64)}`);
      assert.equal(container!.readonlyRootFilesystem, true);
      // The tasks' own parser accepts what the program sets.
      assert.deepEqual(parseAwsEnv(environmentOf(container!)), expected);
    }
    const [find, forget] = defs.map((d) => containersOf(d)[0]!);
    assert.deepEqual([find!.entryPoint, find!.command], [['node'], ['dist/tasks/find.js']]);
    assert.deepEqual([forget!.entryPoint, forget!.command], [undefined, ['worker']]);
    assert.equal(find!.logConfiguration.options['awslogs-group'], '/lethe/dev/find');
    assert.equal(forget!.logConfiguration.options['awslogs-group'], '/lethe/dev/forget');
    assert.equal(defs[0]!.inputs.taskRoleArn, 'arn:aws:iam::123456789012:role/lethe-dev-iam-find');
    assert.equal(defs[1]!.inputs.taskRoleArn, 'arn:aws:iam::123456789012:role/lethe-dev-iam-forget');
    assert.deepEqual(defs[1]!.inputs.ephemeralStorage, { sizeInGib: 50 });

    const service = mocks.one('aws:ecs/service:Service');
    assert.equal(service.inputs.name, 'lethe-dev-forget');
    assert.equal(service.inputs.desiredCount, 0);
    assert.deepEqual(service.ignoreChanges, ['desiredCount'], 'a later pulumi up leaves the count the coordinator set');
    assert.equal(service.inputs.launchType, 'FARGATE');
    assert.equal(service.inputs.cluster, 'arn:aws:ecs:eu-west-1:123456789012:cluster/lethe-dev');
    assert.equal(service.inputs.taskDefinition, 'arn:aws:ecs:eu-west-1:123456789012:task-definition/lethe-dev-forget:1');
    assert.deepEqual(service.inputs.networkConfiguration, {
      subnets: ['subnet-lethe-dev-network-private-0', 'subnet-lethe-dev-network-private-1'],
      securityGroups: ['sg-lethe-dev-network-tasks'],
      assignPublicIp: false,
    });
  });

  it('creates a private network with the endpoints the tasks need and no inbound rule', () => {
    assert.equal(mocks.one('aws:ec2/vpc:Vpc').inputs.cidrBlock, '10.80.0.0/16');
    const subnets = mocks.ofType('aws:ec2/subnet:Subnet');
    assert.deepEqual(subnets.map((s) => [s.inputs.cidrBlock, s.inputs.availabilityZone, s.inputs.mapPublicIpOnLaunch]), [
      ['10.80.0.0/20', 'eu-west-1a', false],
      ['10.80.16.0/20', 'eu-west-1b', false],
    ]);
    assert.equal(mocks.ofType('aws:ec2/internetGateway:InternetGateway').length + mocks.ofType('aws:ec2/natGateway:NatGateway').length, 0);
    const endpoints = mocks.ofType('aws:ec2/vpcEndpoint:VpcEndpoint').map((e) => `${String(e.inputs.serviceName)} ${String(e.inputs.vpcEndpointType)}`);
    assert.deepEqual(endpoints.sort(), [
      'com.amazonaws.eu-west-1.athena Interface',
      'com.amazonaws.eu-west-1.ecr.api Interface',
      'com.amazonaws.eu-west-1.ecr.dkr Interface',
      'com.amazonaws.eu-west-1.ecs Interface',
      'com.amazonaws.eu-west-1.glue Interface',
      'com.amazonaws.eu-west-1.kms Interface',
      'com.amazonaws.eu-west-1.logs Interface',
      'com.amazonaws.eu-west-1.s3 Gateway',
      'com.amazonaws.eu-west-1.sqs Interface',
      'com.amazonaws.eu-west-1.sts Interface',
    ]);
    const tasks = mocks.one('aws:ec2/securityGroup:SecurityGroup', (g) => g.name === 'lethe-dev-network-tasks');
    assert.equal(tasks.inputs.ingress, undefined);
  });

  it('scopes the find role to its workgroup, the mapped tables and the forget service', () => {
    const find = policyOf(mocks.one('aws:iam/rolePolicy:RolePolicy', (p) => p.name === 'lethe-dev-iam-find'));
    assert.deepEqual(statement(find, 'RunQueriesInWorkgroup').Resource, ['arn:aws:athena:eu-west-1:123456789012:workgroup/lethe-dev']);
    assert.deepEqual(statement(find, 'ReadMappedTables').Resource, [
      'arn:aws:glue:eu-west-1:123456789012:catalog',
      'arn:aws:glue:eu-west-1:123456789012:database/acme_lake_dev',
      'arn:aws:glue:eu-west-1:123456789012:database/lethe_dev',
      'arn:aws:glue:eu-west-1:123456789012:table/acme_lake_dev/customers',
      'arn:aws:glue:eu-west-1:123456789012:table/acme_lake_dev/orders',
      'arn:aws:glue:eu-west-1:123456789012:table/lethe_dev/manifests',
    ]);
    assert.deepEqual(statement(find, 'ReadMappedLocations').Resource, ['arn:aws:s3:::acme-lethe-dev-lake/customers/*', 'arn:aws:s3:::acme-lethe-dev-lake/orders/*']);
    assert.deepEqual(statement(find, 'WriteJobState').Resource, [`arn:aws:s3:::${STATE}/jobs/*`, `arn:aws:s3:::${STATE}/lock.json`]);
    assert.deepEqual(statement(find, 'ReadHmacKey').Resource, ['arn:aws:ssm:eu-west-1:123456789012:parameter/lethe/dev/hmac-key']);
    assert.equal(mocks.one('aws:sns/topic:Topic').inputs.name, 'lethe-dev-jobs');
    assert.deepEqual(statement(find, 'PublishJobNotifications').Resource, ['arn:aws:sns:eu-west-1:123456789012:lethe-dev-jobs']);
    assert.deepEqual(statement(find, 'SendWork').Resource, ['arn:aws:sqs:eu-west-1:123456789012:lethe-dev-deletion']);
    assert.deepEqual(statement(find, 'ScaleForgetService').Resource, ['arn:aws:ecs:eu-west-1:123456789012:service/lethe-dev/lethe-dev-forget']);
    const versionDeletes = find.Statement.filter((s) => s.Action.includes('s3:DeleteObjectVersion')).flatMap((s) => s.Resource ?? []);
    assert.deepEqual(versionDeletes, [`arn:aws:s3:::${STATE}/jobs/*`, `arn:aws:s3:::${STATE}/queue/*`, `arn:aws:s3:::${STATE}/lock.json*`], 'find deletes state versions, never lake versions');
  });

  it('scopes the forget role to rewriting the mapped prefixes and consuming its queue', () => {
    const forget = policyOf(mocks.one('aws:iam/rolePolicy:RolePolicy', (p) => p.name === 'lethe-dev-iam-forget'));
    const rewrite = statement(forget, 'RewriteMappedObjects');
    assert.ok(rewrite.Action.includes('s3:DeleteObjectVersion') && rewrite.Action.includes('s3:PutObject'));
    assert.deepEqual(rewrite.Resource, ['arn:aws:s3:::acme-lethe-dev-lake/customers/*', 'arn:aws:s3:::acme-lethe-dev-lake/orders/*']);
    assert.deepEqual(statement(forget, 'ListMappedVersions0').Condition, { StringLike: { 's3:prefix': ['customers/*', 'orders/*'] } });
    assert.deepEqual(statement(forget, 'ConsumeWork').Resource, ['arn:aws:sqs:eu-west-1:123456789012:lethe-dev-deletion']);
    assert.ok(!forget.Statement.some((s) => s.Action.some((a) => a.startsWith('athena:') || a.startsWith('ecs:'))), 'forget neither queries nor scales');
  });

  it('runs the find task for each job request in the state bucket; only the rule may run it, operators hold no RunTask or PassRole', () => {
    assert.deepEqual(mocks.one('aws:s3/bucketNotification:BucketNotification').inputs, { bucket: STATE, eventbridge: true });
    const rule = mocks.one('aws:cloudwatch/eventRule:EventRule', (r) => r.inputs.name === 'lethe-dev-job-request');
    assert.deepEqual(parseJson(rule.inputs.eventPattern, 'pattern'), {
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { bucket: { name: [STATE] }, object: { key: [{ prefix: 'requests/' }] } },
    });
    const target = mocks.one('aws:cloudwatch/eventTarget:EventTarget', (t) => t.inputs.rule === 'lethe-dev-job-request');
    assert.equal(target.inputs.arn, 'arn:aws:ecs:eu-west-1:123456789012:cluster/lethe-dev');
    assert.equal(target.inputs.roleArn, 'arn:aws:iam::123456789012:role/lethe-dev-requests-run-find');
    const ecsTarget = target.inputs.ecsTarget as { taskDefinitionArn: string; launchType: string; networkConfiguration: { assignPublicIp: boolean } };
    assert.deepEqual([ecsTarget.taskDefinitionArn, ecsTarget.launchType, ecsTarget.networkConfiguration.assignPublicIp], ['arn:aws:ecs:eu-west-1:123456789012:task-definition/lethe-dev-find:1', 'FARGATE', false]);
    const input = target.inputs.inputTransformer as { inputPaths: Record<string, string>; inputTemplate: string };
    assert.deepEqual(input.inputPaths, { key: '$.detail.object.key' });
    // What EventBridge sends for requests/x.json: only the request key reaches the find container.
    assert.deepEqual(JSON.parse(input.inputTemplate.replace('<key>', JSON.stringify('requests/x.json'))), {
      containerOverrides: [{ name: 'find', environment: [{ name: 'LETHE_REQUEST_KEY', value: 'requests/x.json' }] }],
    });
    const runFind = policyOf(mocks.one('aws:iam/rolePolicy:RolePolicy', (p) => p.name === 'lethe-dev-requests-run-find'));
    assert.deepEqual(statement(runFind, 'RunFindTask').Resource, ['arn:aws:ecs:eu-west-1:123456789012:task-definition/lethe-dev-find:*']);
    assert.deepEqual(statement(runFind, 'PassFindTaskRoles').Resource, ['arn:aws:iam::123456789012:role/lethe-dev-iam-find', 'arn:aws:iam::123456789012:role/lethe-dev-iam-execution']);
    const operator = policyOf(mocks.one('aws:iam/policy:Policy', (p) => p.name === 'lethe-dev-iam-operator'));
    const operatorActions = operator.Statement.flatMap((s) => s.Action);
    for (const action of ['ecs:RunTask', 'iam:PassRole', 'ecs:StopTask']) assert.ok(!operatorActions.includes(action), `operators hold ${action}`);
    assert.ok(statement(operator, 'EnqueueAndRequestJobs').Resource!.includes(`arn:aws:s3:::${STATE}/requests/*`));
  });

  it('publishes job outcomes to an encrypted topic and alarms on dead letters and failed jobs', () => {
    assert.deepEqual(mocks.one('aws:sns/topicSubscription:TopicSubscription').inputs, {
      topic: 'arn:aws:sns:eu-west-1:123456789012:lethe-dev-jobs',
      protocol: 'email',
      endpoint: 'privacy-ops@example.com',
    });
    const rules = mocks.ofType('aws:cloudwatch/eventRule:EventRule').filter((r) => String(r.inputs.name).includes('job-outcome'));
    assert.deepEqual(rules.map((r) => r.inputs.name), ['lethe-dev-job-outcome', 'lethe-dev-job-outcome-failed']);
    const pattern = parseJson(rules[1]!.inputs.eventPattern, 'pattern') as { detail: Record<string, unknown> };
    assert.deepEqual(pattern.detail.group, ['family:lethe-dev-find']);
    assert.deepEqual(pattern.detail.containers, { exitCode: [{ 'anything-but': 0 }] });
    const alarms = mocks.ofType('aws:cloudwatch/metricAlarm:MetricAlarm');
    assert.deepEqual(alarms.map((a) => [a.inputs.metricName, a.inputs.dimensions, a.inputs.threshold]), [
      ['ApproximateNumberOfMessagesVisible', { QueueName: 'lethe-dev-deletion-dlq' }, 1],
      ['MatchedEvents', { RuleName: 'lethe-dev-job-outcome-failed' }, 1],
    ]);
    for (const alarm of alarms) assert.deepEqual(alarm.inputs.alarmActions, ['arn:aws:sns:eu-west-1:123456789012:lethe-dev-jobs']);
  });

  it('sets every output, including the command that starts a job', async () => {
    const values: Record<string, unknown> = {};
    for (const [name, output] of Object.entries(outputs)) values[name] = await valueOf(output as pulumi.Output<unknown>);
    for (const [name, value] of Object.entries(values)) assert.ok(value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0), `output ${name} is empty`);
    assert.equal(values.stateBucket, STATE);
    assert.equal(values.findTaskDefinition, 'lethe-dev-find');
    assert.match(String(values.letheCommand), /^env LETHE_MODE=aws AWS_REGION=eu-west-1 LETHE_STATE_BUCKET=lethe-dev-state-0a1b2c3 .* lethe job start --wait$/);
    assert.match(String(values.runTaskCommand), /^aws ecs run-task --region eu-west-1 --cluster lethe-dev --task-definition lethe-dev-find --launch-type FARGATE /);
  });

  it('registers each concern as one component', () => {
    const components = mocks.registrations.filter((r: Registration) => r.type.startsWith('lethe:') && !r.type.endsWith('SecureBucket')).map((r) => r.type);
    assert.deepEqual(components, [
      'lethe:storage:Storage',
      'lethe:catalog:Catalog',
      'lethe:athena:Athena',
      'lethe:queues:Queues',
      'lethe:hmacKey:HmacKey',
      'lethe:network:Network',
      'lethe:iam:Iam',
      'lethe:fleet:Fleet',
      'lethe:requests:JobRequests',
      'lethe:notifications:Notifications',
      'lethe:alarms:Alarms',
    ]);
  });
});

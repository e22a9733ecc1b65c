import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as pulumi from '@pulumi/pulumi';
import { readStackConfig } from '../../infra/readStackConfig';
import { ROOT, RecordingMocks, engineConfigFromFile, settled, valueOf } from '../support/pulumiHarness';

/** The entry point as `pulumi up` runs it: stack config from the engine, outputs exported. */
describe('infra: infra/index.ts with the dev stack config from the engine', function () {
  this.timeout(60_000);
  const mocks = new RecordingMocks();
  let program: Record<string, unknown>;

  before(async () => {
    pulumi.runtime.setAllConfig(engineConfigFromFile('Pulumi.dev.yaml'));
    await pulumi.runtime.setMocks(mocks, 'lethe', 'dev', false);
    program = { ...(await import('../../infra/index.js')) };
    await settled(mocks);
  });

  after(() => pulumi.runtime.setAllConfig({}));

  it('exports every output the CLI and console need, each set', async () => {
    const expected = [
      'region',
      'stateBucket',
      'configKey',
      'kmsKeyArn',
      'deletionQueueUrl',
      'deadLetterQueueUrl',
      'athenaWorkgroup',
      'glueDatabase',
      'clusterName',
      'forgetServiceName',
      'findTaskDefinition',
      'findTaskDefinitionArn',
      'subnetIds',
      'securityGroupId',
      'imageUri',
      'notificationTopicArn',
      'operatorPolicyArn',
      'auditorPolicyArn',
      'letheEnvironment',
      'letheCommand',
      'runTaskCommand',
    ];
    assert.deepEqual(Object.keys(program).filter((k) => k !== 'default').sort(), [...expected].sort());
    for (const name of expected) {
      const output = program[name];
      assert.ok(pulumi.Output.isInstance(output), `${name} is not an Output`);
      const value = await valueOf(output as pulumi.Output<unknown>);
      assert.ok(value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0), `output ${name} is empty`);
    }
    assert.equal(await valueOf(program.configKey as pulumi.Output<string>), 'config/lethe.json');
  });

  it('declares the same program as createLethe, from the engine config', () => {
    assert.equal(mocks.ofType('aws:glue/catalogTable:CatalogTable').length, 3);
    assert.equal(mocks.ofType('aws:ecs/taskDefinition:TaskDefinition').length, 2);
    assert.equal(mocks.ofType('aws:ecs/service:Service').length, 1);
    const image = mocks.one('awsx:ecr:Image');
    assert.deepEqual([image.inputs.context, image.inputs.dockerfile], [ROOT, `${ROOT}/Dockerfile`]);
  });

  it('builds that image on Node 22 in both stages (Node 20 is past its end of life)', () => {
    const from = readFileSync(`${ROOT}/Dockerfile`, 'utf8').split('\n').filter((line) => line.startsWith('FROM '));
    assert.deepEqual(from, ['FROM node:22-slim AS build', 'FROM node:22-slim']);
  });

  it('reports a broken stack config as one InputError naming each key', () => {
    pulumi.runtime.setAllConfig({ 'aws:region': 'eu-west-1', 'lethe:lake': JSON.stringify({ buckets: [] }), 'lethe:logRetentionDays': '8', 'lethe:forceDestroy': '"yes"', 'lethe:notificationEmails': 'a@b.c' });
    assert.throws(() => readStackConfig(), (error: Error) => {
      assert.equal(error.name, 'InputError');
      assert.match(error.message, /^Pulumi\.dev\.yaml: the stack config has problems:\n/);
      assert.match(error.message, /lethe:logRetentionDays: CloudWatch Logs accepts/);
      assert.match(error.message, /lethe:forceDestroy: expected true or false, got "yes"/);
      assert.match(error.message, /unknown key lethe:notificationEmails/);
      assert.doesNotMatch(error.message, /aws:region/);
      return true;
    });
  });
});

import * as assert from 'node:assert/strict';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { createLethe } from '../../infra/lethe';
import { parseStackConfig } from '../../infra/stackConfig';
import { RecordingMocks, settled, stackConfigFromFile, valueOf } from '../support/pulumiHarness';
import { assertBuckets, assertLogGroups, assertPolicyDocuments, assertQueues } from '../support/securityChecks';

/**
 * The policy checks run over every resource of a type, so a resource someone adds later without
 * lethe's defaults fails them. Proved here with one stray of each kind beside the dev stack.
 */
describe('infra: the policy checks catch a resource added without the defaults', function () {
  this.timeout(60_000);
  const mocks = new RecordingMocks();
  const expect = { logRetentionDays: 90, maxReceiveCount: 3 };

  before(async () => {
    await pulumi.runtime.setMocks(mocks, 'lethe', 'stray', false);
    const outputs = createLethe(parseStackConfig(stackConfigFromFile('Pulumi.dev.yaml'), 'stray'));
    new aws.s3.Bucket('stray-bucket', { bucket: 'stray-bucket' });
    new aws.sqs.Queue('stray-queue', { name: 'stray-queue' });
    new aws.cloudwatch.LogGroup('stray-logs', { name: '/stray' });
    new aws.iam.RolePolicy('stray-policy', {
      role: 'someone',
      policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Everything', Effect: 'Allow', Action: ['s3:*'], Resource: ['*'] }] }),
    });
    await valueOf(outputs.letheCommand);
    await settled(mocks);
  });

  it('an unversioned, unencrypted bucket', () => {
    assert.throws(() => assertBuckets(mocks), { message: /stray-bucket: versioning/ });
  });

  it('a queue without encryption or redrive', () => {
    assert.throws(() => assertQueues(mocks, expect), { message: /stray-queue: SSE-KMS/ });
  });

  it('a log group kept forever', () => {
    assert.throws(() => assertLogGroups(mocks, expect), { message: /stray-logs: retention/ });
  });

  it('a policy with a wildcard action', () => {
    assert.throws(() => assertPolicyDocuments(mocks), { message: /stray-policy Everything: action "s3:\*" is a wildcard/ });
  });
});

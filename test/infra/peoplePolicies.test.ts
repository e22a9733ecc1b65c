import * as assert from 'node:assert/strict';
import { LetheRole, RecordedAwsCall } from '../support/awsCallRecorder';
import { DeployedPolicies, deployedPolicies } from '../support/deployedPolicies';
import { findDeniedCalls } from '../support/simulateAwsCalls';

/**
 * The policies the stack exports for people, evaluated with iam-simulate on hand-written calls: what
 * an auditor and an operator may do, and what they may not even though a request could ask for it.
 */
describe('infra: the operator and auditor policies, by IAM simulation', function () {
  this.timeout(60_000);
  let deployed: DeployedPolicies;
  const JOB = '20261202T031500Z-a1b2c3';

  before(async () => {
    deployed = await deployedPolicies();
  });

  const s3 = (role: LetheRole, command: string, input: Record<string, unknown>): RecordedAwsCall => ({
    role,
    client: 'S3Client',
    command: `${command}Command`,
    input: { Bucket: deployed.environment.LETHE_STATE_BUCKET, ...input },
    headers: {},
  });
  const denied = async (calls: RecordedAwsCall[]) =>
    (await findDeniedCalls(calls, { deployed, testEnvironment: deployed.environment })).map((d) => `${d.role} ${d.action} ${d.resource.replace(/^.*:::[^/]+\//, '')}`);

  it('lets an auditor list jobs and read job records, reports and the stack config', async () => {
    const reads = ['job.json', 'report.json', 'report.html', 'plan.json', 'verification.json', 'events/2026-12-02T031501000Z-e1.json', 'objects/ab12.json', 'matches/000000.jsonl'];
    assert.deepEqual(
      await denied([
        s3('auditor', 'ListObjectsV2', { Prefix: 'jobs/' }),
        ...reads.map((file) => s3('auditor', 'GetObject', { Key: `jobs/${JOB}/${file}` })),
        s3('auditor', 'GetObject', { Key: 'config/lethe.json' }),
      ]),
      [],
    );
  });

  it('keeps from an auditor everything that holds or derives clear match IDs, and every write', async () => {
    assert.deepEqual(
      await denied([
        s3('auditor', 'GetObject', { Key: 'queue/20261202T031500000Z-abcdef.jsonl' }),
        s3('auditor', 'GetObject', { Key: `jobs/${JOB}/manifests/customers/matches-000000.jsonl` }),
        s3('auditor', 'GetObject', { Key: `jobs/${JOB}/matchsets/customers.json` }),
        s3('auditor', 'GetObject', { Key: 'keys/hmac.key' }),
        s3('auditor', 'ListObjectsV2', { Prefix: 'queue/' }),
        s3('auditor', 'PutObject', { Key: `requests/2026-12-02T031500000Z-${JOB}.json` }),
      ]),
      [
        `auditor s3:GetObject queue/20261202T031500000Z-abcdef.jsonl`,
        `auditor s3:GetObject jobs/${JOB}/manifests/customers/matches-000000.jsonl`,
        `auditor s3:GetObject jobs/${JOB}/matchsets/customers.json`,
        'auditor s3:GetObject keys/hmac.key',
        'auditor s3:ListBucket arn:aws:s3:::lethe-iam-state-0a1b2c3',
        `auditor s3:PutObject requests/2026-12-02T031500000Z-${JOB}.json`,
        'auditor kms:GenerateDataKey arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      ],
    );
  });

  it('lets the find role and operators read the HMAC key from SSM, never an auditor (nor the forget role, which hashes nothing)', async () => {
    const getKey = (role: LetheRole): RecordedAwsCall => ({
      role,
      client: 'SSMClient',
      command: 'GetParameterCommand',
      input: { Name: deployed.environment.LETHE_HMAC_KEY_PARAMETER, WithDecryption: true },
      headers: {},
    });
    const parameter = 'arn:aws:ssm:eu-west-1:123456789012:parameter/lethe/iam/hmac-key';
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    assert.equal(deployed.environment.LETHE_HMAC_KEY_PARAMETER, '/lethe/iam/hmac-key');
    assert.deepEqual(await denied([getKey('find'), getKey('operator'), getKey('auditor'), getKey('forget')]), [
      `auditor ssm:GetParameter ${parameter}`,
      `auditor kms:Decrypt ${key}`,
      `forget ssm:GetParameter ${parameter}`,
      `forget kms:Decrypt ${key}`,
    ]);
    // The auditor still reads every report: the key is the only thing kept from them here.
    assert.deepEqual(await denied([s3('auditor', 'GetObject', { Key: `jobs/${JOB}/report.json` }), s3('auditor', 'GetObject', { Key: `jobs/${JOB}/report.html` })]), []);
  });

  it('lets an operator request a job run but not run a task or pass a role itself', async () => {
    const runTask: RecordedAwsCall = {
      role: 'operator',
      client: 'ECSClient',
      command: 'RunTaskCommand',
      input: { cluster: deployed.environment.LETHE_CLUSTER, taskDefinition: deployed.environment.LETHE_FIND_TASK_DEFINITION },
      headers: {},
    };
    assert.deepEqual(await denied([s3('operator', 'PutObject', { Key: `requests/2026-12-02T031500000Z-${JOB}.json` }), runTask]), [
      'operator ecs:RunTask arn:aws:ecs:eu-west-1:123456789012:task-definition/lethe-iam-find:1',
      'operator iam:PassRole arn:aws:iam::123456789012:role/lethe-iam-iam-find',
      'operator iam:PassRole arn:aws:iam::123456789012:role/lethe-iam-iam-execution',
    ]);
  });
});

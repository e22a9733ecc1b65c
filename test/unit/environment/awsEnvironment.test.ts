import assert from 'node:assert/strict';
import { parseAwsEnv, stateStoreLocation } from '../../../shared/environment/awsEnvironment';
import { taskEnvironment } from '../../../infra/taskEnvironment';

const complete = {
  LETHE_MODE: 'aws',
  LETHE_STATE_BUCKET: 'lethe-state',
  LETHE_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/lethe',
  LETHE_DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/lethe-dlq',
  LETHE_ATHENA_WORKGROUP: 'lethe',
  LETHE_GLUE_DATABASE: 'lethe',
  LETHE_CLUSTER: 'lethe',
  LETHE_FORGET_SERVICE: 'lethe-forget',
  LETHE_FIND_TASK_DEFINITION: 'lethe-find:3',
  LETHE_HMAC_KEY_PARAMETER: '/lethe/dev/hmac-key',
  LETHE_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:lethe-jobs',
};

describe('the aws environment contract (parseAwsEnv, and what infra writes)', () => {
  it('reads the wiring, with defaults for the optional variables', () => {
    const env = parseAwsEnv(complete);
    assert.equal(env.stateBucket, 'lethe-state');
    assert.equal(env.deadLetterQueueUrl, complete.LETHE_DLQ_URL);
    assert.equal(env.configKey, 'config/lethe.json');
    assert.equal(env.manifestTable, 'manifests');
    assert.equal(parseAwsEnv({ ...complete, LETHE_CONFIG_KEY: 'cfg/x.json' }).configKey, 'cfg/x.json');
  });

  it('names every missing variable', () => {
    const { LETHE_DLQ_URL: _dlq, LETHE_CLUSTER: _cluster, ...partial } = complete;
    assert.throws(() => parseAwsEnv(partial), { name: 'InputError', message: /missing environment variables LETHE_DLQ_URL, LETHE_CLUSTER/ });
    assert.throws(() => parseAwsEnv({ ...complete, LETHE_QUEUE_URL: '  ' }), { name: 'InputError', message: /missing environment variable LETHE_QUEUE_URL/ });
  });

  it('names the HMAC key parameter, and refuses a name SSM would not take', () => {
    assert.equal(parseAwsEnv(complete).hmacKeyParameter, '/lethe/dev/hmac-key');
    const { LETHE_HMAC_KEY_PARAMETER: _key, ...without } = complete;
    assert.throws(() => parseAwsEnv(without), { name: 'InputError', message: /missing environment variable LETHE_HMAC_KEY_PARAMETER \(aws mode\)/ });
    assert.throws(() => parseAwsEnv({ ...complete, LETHE_HMAC_KEY_PARAMETER: 'lethe key' }), { name: 'InputError', message: /LETHE_HMAC_KEY_PARAMETER: "lethe key" is not an SSM parameter name/ });
  });

  it('needs LETHE_MODE=aws', () => {
    assert.throws(() => parseAwsEnv({ ...complete, LETHE_MODE: 'local' }), { name: 'InputError', message: /LETHE_MODE must be "aws" for the AWS adapters, got "local"/ });
  });

  it('reads LETHE_IDLE_EXIT_SECONDS with the rest, and names it when it is not a number of seconds', () => {
    assert.equal(parseAwsEnv({ ...complete, LETHE_IDLE_EXIT_SECONDS: '90' }).idleExitSeconds, 90);
    assert.equal(parseAwsEnv(complete).idleExitSeconds, undefined);
    assert.throws(() => parseAwsEnv({ ...complete, LETHE_IDLE_EXIT_SECONDS: 'soon' }), { name: 'InputError', message: /LETHE_IDLE_EXIT_SECONDS: "soon" is not a number of seconds/ });
  });

  it('reads the state bucket as a bucket or an s3:// prefix, through the one S3 URI parser', () => {
    assert.deepEqual(stateStoreLocation('lethe-state'), { bucket: 'lethe-state', prefix: '' });
    assert.deepEqual(stateStoreLocation('s3://lethe-state/team/a'), { bucket: 'lethe-state', prefix: 'team/a/' });
    assert.deepEqual(stateStoreLocation('s3://lethe-state/'), { bucket: 'lethe-state', prefix: '' });
    assert.throws(() => parseAwsEnv({ ...complete, LETHE_STATE_BUCKET: 'Not_A_Bucket' }), { name: 'InputError', message: /LETHE_STATE_BUCKET: "Not_A_Bucket" is not a bucket name/ });
    assert.throws(() => parseAwsEnv({ ...complete, LETHE_STATE_BUCKET: 'https://lethe-state' }), { name: 'InputError', message: /not an s3:\/\/ URI/ });
  });

  it('reads back exactly what the infra program writes on the task definitions, variable by variable', () => {
    const written = taskEnvironment({
      region: 'eu-west-1',
      stateBucket: 'lethe-dev-state',
      queueUrl: complete.LETHE_QUEUE_URL,
      deadLetterQueueUrl: complete.LETHE_DLQ_URL,
      athenaWorkGroup: 'lethe-dev',
      glueDatabase: 'lethe_dev',
      cluster: 'lethe-dev',
      forgetService: 'lethe-dev-forget',
      findTaskDefinition: 'lethe-dev-find',
      manifestTable: 'manifests',
      hmacKeyParameter: '/lethe/dev/hmac-key',
      topicArn: 'arn:aws:sns:eu-west-1:123456789012:lethe-dev-jobs',
    });
    assert.deepEqual(written.map((v) => v.name), [
      'LETHE_MODE', 'AWS_REGION', 'LETHE_STATE_BUCKET', 'LETHE_CONFIG_KEY', 'LETHE_QUEUE_URL', 'LETHE_DLQ_URL', 'LETHE_ATHENA_WORKGROUP',
      'LETHE_GLUE_DATABASE', 'LETHE_CLUSTER', 'LETHE_FORGET_SERVICE', 'LETHE_FIND_TASK_DEFINITION', 'LETHE_MANIFEST_TABLE', 'LETHE_HMAC_KEY_PARAMETER', 'LETHE_TOPIC_ARN', 'LETHE_TEMP_DIR',
    ]);
    assert.deepEqual(parseAwsEnv(Object.fromEntries(written.map((v) => [v.name, v.value]))), {
      mode: 'aws',
      region: 'eu-west-1',
      stateBucket: 'lethe-dev-state',
      configKey: 'config/lethe.json',
      queueUrl: complete.LETHE_QUEUE_URL,
      deadLetterQueueUrl: complete.LETHE_DLQ_URL,
      athenaWorkGroup: 'lethe-dev',
      glueDatabase: 'lethe_dev',
      cluster: 'lethe-dev',
      forgetService: 'lethe-dev-forget',
      findTaskDefinition: 'lethe-dev-find',
      manifestTable: 'manifests',
      hmacKeyParameter: '/lethe/dev/hmac-key',
      topicArn: 'arn:aws:sns:eu-west-1:123456789012:lethe-dev-jobs',
      tempDirectory: '/tmp',
    });
  });
});

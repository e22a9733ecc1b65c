import assert from 'node:assert/strict';
import { parseAwsEnv } from '../../../shared/adapters/aws/parseAwsEnv';

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
};

describe('parseAwsEnv', () => {
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

  it('needs LETHE_MODE=aws', () => {
    assert.throws(() => parseAwsEnv({ ...complete, LETHE_MODE: 'local' }), { name: 'InputError', message: /LETHE_MODE must be "aws" for the AWS adapters, got "local"/ });
  });
});

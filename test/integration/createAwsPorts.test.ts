import assert from 'node:assert/strict';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createAwsPorts } from '../../shared/adapters/aws/createAwsPorts';
import { parseJobId, parseObjectUri, parseStateKey } from '../../shared/model/identifiers';
import { MotoServer, startMotoServer } from '../support/motoServer';

describe('createAwsPorts on moto_server', function () {
  this.timeout(60_000);
  let moto: MotoServer;

  before(async () => {
    moto = await startMotoServer();
  });

  after(async () => {
    await moto?.stop();
  });

  it('wires every port from the environment, pointed at AWS_ENDPOINT_URL', async () => {
    const s3 = new S3Client({ forcePathStyle: true });
    const sqs = new SQSClient({});
    await s3.send(new CreateBucketCommand({ Bucket: 'lethe-state' }));
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'lethe' }))).QueueUrl!;
    const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'lethe-dlq' }))).QueueUrl!;
    const ports = createAwsPorts({
      ...process.env,
      LETHE_MODE: 'aws',
      LETHE_STATE_BUCKET: 'lethe-state',
      LETHE_QUEUE_URL: queueUrl,
      LETHE_DLQ_URL: dlqUrl,
      LETHE_ATHENA_WORKGROUP: 'primary',
      LETHE_GLUE_DATABASE: 'lethe',
      LETHE_CLUSTER: 'lethe',
      LETHE_FORGET_SERVICE: 'lethe-forget',
      LETHE_FIND_TASK_DEFINITION: 'lethe-find',
      LETHE_HMAC_KEY_PARAMETER: '/lethe/test/hmac-key',
      LETHE_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:lethe-jobs',
    });
    assert.equal(ports.config.configKey, 'config/lethe.json');
    await ports.state.create(parseStateKey('config/lethe.json'), '{"dataMappers":[]}');
    assert.equal((await ports.state.read(parseStateKey('config/lethe.json')))?.body.toString(), '{"dataMappers":[]}');
    assert.equal(ports.state.describe(parseStateKey('lock.json')), 's3://lethe-state/lock.json');
    const listed = [];
    for await (const object of ports.lake.list('s3://lethe-state/config/')) listed.push(object);
    assert.deepEqual(listed, [{ uri: 's3://lethe-state/config/lethe.json', size: 18 }]);
    await ports.queue.send([{ jobId: parseJobId('20261122T031500Z-a1b2c3'), object: parseObjectUri('s3://lake/a.parquet'), mapperIds: ['m'] }]);
    assert.deepEqual(await ports.queue.depth(), { visible: 1, inFlight: 0, deadLettered: 0 });
    s3.destroy();
    sqs.destroy();
  });
});

import assert from 'node:assert/strict';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { SqsWorkQueue } from '../../shared/adapters/aws/SqsWorkQueue';
import { WorkMessage } from '../../shared/model/workMessage';
import { JobId, parseJobId, parseObjectUri } from '../../shared/model/identifiers';
import { MotoServer, startMotoServer } from '../support/motoServer';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SqsWorkQueue on moto_server', function () {
  this.timeout(90_000);
  let moto: MotoServer;
  let sqs: SQSClient;
  let counter = 0;

  before(async () => {
    moto = await startMotoServer();
    sqs = new SQSClient({});
  });

  after(async () => {
    sqs?.destroy();
    await moto?.stop();
  });

  /** A fresh queue with its DLQ, redriven after `maxReceiveCount` deliveries. */
  async function freshQueue(maxReceiveCount = 3): Promise<{ queue: SqsWorkQueue; queueUrl: string; dlqUrl: string }> {
    counter++;
    const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `lethe-dlq-${counter}` }))).QueueUrl!;
    const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    const queueUrl = (
      await sqs.send(
        new CreateQueueCommand({
          QueueName: `lethe-${counter}`,
          Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }) },
        }),
      )
    ).QueueUrl!;
    return { queue: new SqsWorkQueue({ client: sqs, queueUrl, deadLetterQueueUrl: dlqUrl }), queueUrl, dlqUrl };
  }

  const message = (i: number): WorkMessage => ({ jobId: parseJobId('20261122T031500Z-a1b2c3'), object: parseObjectUri(`s3://lake/customers/part-${i}.parquet`), mapperIds: ['customers'] });

  it('sends in batches of 10 and receives every message once, with its receive count', async () => {
    const { queueUrl, dlqUrl } = await freshQueue();
    const calls: string[] = [];
    const counted = new SQSClient({});
    counted.middlewareStack.add(
      (next, context) => (args) => {
        calls.push(context.commandName ?? '');
        return next(args);
      },
      { step: 'initialize', name: 'countCalls' },
    );
    const queue = new SqsWorkQueue({ client: counted, queueUrl, deadLetterQueueUrl: dlqUrl });
    const sent = Array.from({ length: 23 }, (_, i) => message(i));
    await queue.send(sent);
    assert.deepEqual(calls, ['SendMessageBatchCommand', 'SendMessageBatchCommand', 'SendMessageBatchCommand']);
    assert.deepEqual(await queue.depth(), { visible: 23, inFlight: 0, deadLettered: 0 });
    const received = [];
    for (let round = 0; round < 10 && received.length < 23; round++) received.push(...(await queue.receive({ max: 10, visibilitySeconds: 60, waitSeconds: 1 })));
    assert.deepEqual(received.map((r) => r.message.object).sort(), sent.map((m) => m.object).sort());
    assert.ok(received.every((r) => r.receiveCount === 1));
    assert.deepEqual(await queue.depth(), { visible: 0, inFlight: 23, deadLettered: 0 });
    for (const r of received) await queue.ack(r.receipt);
    assert.deepEqual(await queue.depth(), { visible: 0, inFlight: 0, deadLettered: 0 });
    counted.destroy();
  });

  it('a visibility heartbeat keeps a long rewrite from being redelivered', async () => {
    const { queue } = await freshQueue();
    await queue.send([message(1), message(2)]);
    const taken = await queue.receive({ max: 10, visibilitySeconds: 2, waitSeconds: 1 });
    assert.equal(taken.length, 2);
    const [kept, neglected] = taken as [(typeof taken)[0], (typeof taken)[0]];
    // Work on `kept` for 5 s, extending its visibility every second; `neglected` gets no heartbeat.
    const redelivered: string[] = [];
    for (let second = 0; second < 5; second++) {
      await queue.setVisibility(kept.receipt, 2);
      await sleep(1000);
      const others = await queue.receive({ max: 10, visibilitySeconds: 60, waitSeconds: 0 });
      redelivered.push(...others.map((r) => r.message.object));
    }
    assert.deepEqual(redelivered, [neglected.message.object], 'only the message without a heartbeat came back');
    await queue.ack(kept.receipt);
    assert.equal((await queue.depth()).visible, 0);
    await queue.setVisibility(kept.receipt, 10).then(
      () => assert.fail('a heartbeat on a deleted message must fail'),
      (error: Error) => assert.match(error.name, /ConflictError|InputError|NotFoundError/),
    );
  });

  it('release (visibility 0) makes a message visible at once', async () => {
    const { queue } = await freshQueue();
    await queue.send([message(3)]);
    const [first] = await queue.receive({ max: 1, visibilitySeconds: 300, waitSeconds: 1 });
    assert.ok(first);
    await queue.setVisibility(first.receipt, 0);
    const [again] = await queue.receive({ max: 1, visibilitySeconds: 300, waitSeconds: 1 });
    assert.equal(again?.message.object, message(3).object);
    assert.equal(again?.receiveCount, 2);
  });

  it('a poison message ends in the dead-letter queue after maxReceiveCount, and drains from there', async () => {
    const { queue } = await freshQueue(2);
    await queue.send([message(4), message(5)]);
    const deliveries: number[] = [];
    for (let round = 0; round < 6; round++) {
      for (const work of await queue.receive({ max: 10, visibilitySeconds: 1, waitSeconds: 1 })) {
        if (work.message.object === message(5).object) await queue.ack(work.receipt);
        else deliveries.push(work.receiveCount);
      }
      await sleep(1100);
    }
    assert.deepEqual(deliveries, [1, 2], 'delivered maxReceiveCount times, then moved');
    assert.deepEqual(await queue.depth(), { visible: 0, inFlight: 0, deadLettered: 1 });
    assert.deepEqual(await queue.drainDeadLetters(), [message(4)]);
    assert.deepEqual(await queue.depth(), { visible: 0, inFlight: 0, deadLettered: 0 });
  });

  it('moves a body that is not a work message to the dead-letter queue instead of handing it out', async () => {
    const { queue, queueUrl } = await freshQueue();
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"jobId":"x","object":"s3://lake/a","extra":1}' }));
    await queue.send([message(6)]);
    const received = [];
    for (let round = 0; round < 3; round++) received.push(...(await queue.receive({ max: 10, visibilitySeconds: 30, waitSeconds: 1 })));
    assert.deepEqual(received.map((r) => r.message), [message(6)]);
    const depth = await queue.depth();
    assert.equal(depth.deadLettered, 1);
    // Drain returns work messages only; the foreign body stays for a person to read.
    assert.deepEqual(await queue.drainDeadLetters(), []);
  });

  it('rejects sending a message that is not a work message', async () => {
    const { queue } = await freshQueue();
    await assert.rejects(queue.send([{ jobId: '' as JobId, object: parseObjectUri('s3://lake/o'), mapperIds: ['m'] }]), { name: 'InputError', message: /jobId/ });
  });
});

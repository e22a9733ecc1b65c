import assert from 'node:assert/strict';
import { InProcessWorkQueue } from '../../../shared/adapters/local/InProcessWorkQueue';
import { parseJobId, parseObjectUri } from '../../../shared/model/identifiers';

const message = { jobId: parseJobId('20261122T031500Z-a1b2c3'), object: parseObjectUri('/lake/a.parquet'), mapperIds: ['m'] };
const receiveNow = (queue: InProcessWorkQueue, visibilitySeconds = 30) => queue.receive({ max: 10, visibilitySeconds, waitSeconds: 0 });

describe('InProcessWorkQueue', () => {
  it('hides a received message until its visibility ends, then delivers it again', async () => {
    const queue = new InProcessWorkQueue(5);
    await queue.send([message]);
    const [first] = await receiveNow(queue, 0.1);
    assert.equal(first!.receiveCount, 1);
    assert.deepEqual(await receiveNow(queue), []);
    assert.deepEqual(await queue.depth(), { visible: 0, inFlight: 1, deadLettered: 0 });
    await new Promise((r) => setTimeout(r, 150));
    const [second] = await receiveNow(queue);
    assert.equal(second!.receiveCount, 2);
    await queue.ack(second!.receipt);
    assert.deepEqual(await queue.depth(), { visible: 0, inFlight: 0, deadLettered: 0 });
  });

  it('keeps a message hidden while its visibility is extended (the heartbeat)', async () => {
    const queue = new InProcessWorkQueue(5);
    await queue.send([message]);
    const [delivery] = await receiveNow(queue, 0.1);
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 60));
      await queue.setVisibility(delivery!.receipt, 0.1);
      assert.deepEqual(await receiveNow(queue), [], 'not redelivered while the heartbeat runs');
    }
  });

  it('ends an empty wait when its signal aborts, and a stopped receiver takes nothing sent later', async () => {
    const queue = new InProcessWorkQueue(5);
    const stop = new AbortController();
    // Far beyond mocha's timeout: only the abort can end this wait.
    const waiting = queue.receive({ max: 1, visibilitySeconds: 30, waitSeconds: 3600, signal: stop.signal });
    setTimeout(() => stop.abort(), 20);
    assert.deepEqual(await waiting, []);
    await queue.send([message]);
    assert.deepEqual(await queue.receive({ max: 1, visibilitySeconds: 30, waitSeconds: 0, signal: stop.signal }), []);
    assert.deepEqual(await queue.depth(), { visible: 1, inFlight: 0, deadLettered: 0 });
  });

  it('wakes waitUntilEmpty at the ack of the last message, not before', async () => {
    const queue = new InProcessWorkQueue(5);
    await queue.send([message, { ...message, object: parseObjectUri('/lake/b.parquet') }]);
    const [first, second] = await receiveNow(queue);
    let woken = false;
    const empty = queue.waitUntilEmpty(3_600_000).then(() => {
      woken = true;
    });
    await queue.ack(first!.receipt);
    await new Promise((r) => setImmediate(r));
    assert.equal(woken, false, 'one message is still in flight');
    await queue.ack(second!.receipt);
    await empty;
    assert.deepEqual(await queue.depth(), { visible: 0, inFlight: 0, deadLettered: 0 });
  });

  it('dead-letters a message received maxReceiveCount times', async () => {
    const queue = new InProcessWorkQueue(2);
    await queue.send([message]);
    for (let i = 0; i < 2; i++) {
      const [d] = await receiveNow(queue);
      await queue.setVisibility(d!.receipt, 0);
    }
    assert.deepEqual(await receiveNow(queue), []);
    assert.deepEqual(await queue.drainDeadLetters(), [message]);
    assert.deepEqual(await queue.depth(), { visible: 0, inFlight: 0, deadLettered: 0 });
  });
});

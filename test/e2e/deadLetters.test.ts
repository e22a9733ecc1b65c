import assert from 'node:assert/strict';
import path from 'node:path';
import { WorkQueue } from '../../shared/ports/WorkQueue';
import { enqueueMatches } from '../../shared/queue/deletionQueue';
import { listJobEvents } from '../../shared/records/jobEvents';
import { TestLake, openTestLake, readJobReport, readTable, runQueuedJob } from '../support/localLake';

/** The queue as SQS redrive leaves it when every worker that took `object` died before recording anything. */
function deadLetterOnReceipt(queue: WorkQueue, object: (uri: string) => boolean): WorkQueue {
  return {
    send: (messages) => queue.send(messages),
    receive: async (options) => {
      const received = await queue.receive(options);
      const kept = [];
      for (const work of received) {
        if (object(work.message.object)) await queue.quarantine(work);
        else kept.push(work);
      }
      return kept;
    },
    setVisibility: (receipt, seconds) => queue.setVisibility(receipt, seconds),
    ack: (receipt) => queue.ack(receipt),
    quarantine: (work) => queue.quarantine(work),
    depth: () => queue.depth(),
    drainDeadLetters: () => queue.drainDeadLetters(),
  };
}

describe('a dead-lettered work message', function () {
  let lake: TestLake;
  before(async () => {
    lake = await openTestLake();
  });
  after(async () => {
    await lake.cleanup();
  });

  it('is recorded: its object fails with the reason, an ObjectFailed event, and the report and job name it', async () => {
    const ordersObject = path.join(lake.dir, 'lake', 'orders', 'part-0.csv');
    const { ports } = lake.runtime;
    ports.queue = deadLetterOnReceipt(ports.queue, (uri) => uri === ordersObject);
    await enqueueMatches(ports.state, [{ match: { kind: 'simple', value: '12' } }]);
    const job = await runQueuedJob(lake);

    assert.equal(job.status, 'FORGET_PARTIALLY_FAILED');
    assert.match(job.failure ?? '', /objects failed: .*orders\/part-0\.csv/);
    const report = await readJobReport(lake, job.id);
    const failed = report.objects.filter((o) => o.outcome === 'failed');
    assert.deepEqual(failed.map((o) => o.object), [ordersObject]);
    assert.match(failed[0]!.error ?? '', /dead-lettered/);
    const events = (await listJobEvents(ports.state, job.id)).filter((e) => e.type === 'ObjectFailed');
    assert.deepEqual(events.map((e) => e.data.object), [ordersObject]);
    assert.equal((await readTable(path.join(lake.dir, 'lake', 'orders'), 'csv')).filter((r) => String(r.customer_id) === '12').length > 0, true, 'the dead-lettered object was not touched');
    assert.equal((await readTable(path.join(lake.dir, 'lake', 'customers'), 'parquet')).filter((r) => String(r.customer_id) === '12').length, 0, 'the other objects were rewritten');
  });
});

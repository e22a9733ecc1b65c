import assert from 'node:assert/strict';
import path from 'node:path';
import { runForgetWorker } from '../../../shared/forget/runForgetWorker';
import { approveJob } from '../../../shared/job/jobCommands';
import { runJob } from '../../../shared/job/runJob';
import { startJob } from '../../../shared/job/startJob';
import { TransientError } from '../../../shared/model/errors';
import { WorkQueue } from '../../../shared/ports/WorkQueue';
import { enqueueMatches } from '../../../shared/queue/deletionQueue';
import { readJobPlan } from '../../../shared/records/jobPlan';
import { listObjectResults } from '../../../shared/records/objectResults';
import { TestLake, openTestLake, readTable } from '../../support/localLake';

describe('a worker that loses its lease', function () {
  this.timeout(60_000);
  let lake: TestLake;
  beforeEach(async () => {
    lake = await openTestLake({ requireApproval: true });
  });
  afterEach(async () => {
    await lake.cleanup();
  });

  it('stops work on the message: no replace and no result from the loser; the redelivery does the object', async () => {
    const { ports } = lake.runtime;
    await enqueueMatches(ports.state, [{ match: { kind: 'simple', value: '12' } }]);
    const started = await startJob(ports.state, lake.config, 'test');
    const waiting = await runJob(ports, started.id, { hmacKey: lake.hmacKey, pollIntervalMs: 50 });
    await approveJob(ports, waiting.id, 'approver');
    const plan = (await readJobPlan(ports.state, waiting.id))!;
    const planned = plan.objects.find((o) => o.object.includes(`${path.sep}customers${path.sep}`))!;

    // The first delivery's heartbeat fails (the queue no longer knows its receipt); its download
    // waits until then, so the loser still has its whole rewrite and replace ahead of it.
    const queue = ports.queue;
    let firstReceipt: string | undefined;
    let heartbeatFailed!: () => void;
    const lost = new Promise<void>((resolve) => (heartbeatFailed = resolve));
    const leaky: WorkQueue = {
      send: (messages) => queue.send(messages),
      receive: async (options) => {
        const received = await queue.receive(options);
        firstReceipt ??= received[0]?.receipt;
        return received;
      },
      setVisibility: async (receipt, seconds) => {
        if (receipt === firstReceipt && seconds > 0) {
          heartbeatFailed();
          throw new TransientError('ChangeMessageVisibility: ReceiptHandleIsInvalid');
        }
        return queue.setVisibility(receipt, seconds);
      },
      ack: (receipt) => queue.ack(receipt),
      quarantine: (work) => queue.quarantine(work),
      depth: () => queue.depth(),
      drainDeadLetters: () => queue.drainDeadLetters(),
    };
    let downloads = 0;
    let replaces = 0;
    const lakeStore = ports.lake;
    const download = lakeStore.download.bind(lakeStore);
    const replace = lakeStore.replace.bind(lakeStore);
    const counted = Object.assign(Object.create(lakeStore) as typeof lakeStore, {
      download: async (...args: Parameters<typeof download>) => {
        if (++downloads === 1) await lost;
        return download(...args);
      },
      replace: async (...args: Parameters<typeof replace>) => {
        replaces++;
        return replace(...args);
      },
    });
    await queue.send([{ jobId: waiting.id, object: planned.object, mapperIds: planned.mapperIds }]);
    await runForgetWorker({ ...ports, queue: leaky, lake: counted }, {
      ...lake.runtime.workerOptions,
      concurrency: 1,
      visibilityTimeoutSeconds: 1,
      retryDelaySeconds: () => 0,
      signal: new AbortController().signal,
      idleExitSeconds: 3,
    });

    assert.equal(downloads, 2, 'the message was delivered again after the lease was lost');
    assert.equal(replaces, 1, 'only the redelivery replaced the object');
    const results = await listObjectResults(ports.state, waiting.id);
    assert.deepEqual(results.map((r) => [r.outcome, r.attempts]), [['updated', 2]], 'the one result is the redelivery\'s');
    assert.equal((await readTable(path.join(lake.dir, 'lake', 'customers'), 'parquet')).filter((r) => String(r.customer_id) === '12').length, 0);
    assert.deepEqual(await queue.depth(), { visible: 0, inFlight: 0, deadLettered: 0 });
  });
});

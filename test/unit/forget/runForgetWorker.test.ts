import assert from 'node:assert/strict';
import path from 'node:path';
import { runForgetWorker } from '../../../shared/forget/runForgetWorker';
import { listObjectResults } from '../../../shared/records/objectResults';
import { approveJob } from '../../../shared/job/jobCommands';
import { readJobPlan } from '../../../shared/records/jobPlan';
import { listJobEvents } from '../../../shared/records/jobEvents';
import { runJob } from '../../../shared/job/runJob';
import { startJob } from '../../../shared/job/startJob';
import { WorkMessage } from '../../../shared/model/workMessage';
import { enqueueMatches } from '../../../shared/queue/deletionQueue';
import { parseJobId, parseObjectUri } from '../../../shared/model/identifiers';
import { TestLake, hashTree, openTestLake } from '../../support/localLake';

describe('runForgetWorker', function () {
  this.timeout(60_000);
  let lake: TestLake;
  beforeEach(async () => {
    lake = await openTestLake({ requireApproval: true });
  });
  afterEach(async () => {
    await lake.cleanup();
  });

  it('quarantines a message that does not fit its job (unknown job, unknown mapper, a mapper or object not in the plan) and rewrites nothing', async () => {
    await enqueueMatches(lake.runtime.ports.state, [{ match: { kind: 'simple', value: '21' } }]);
    const started = await startJob(lake.runtime.ports.state, lake.config, 'test');
    const waiting = await runJob(lake.runtime.ports, started.id, { hmacKey: lake.hmacKey, pollIntervalMs: 50 });
    assert.equal(waiting.status, 'AWAITING_APPROVAL');
    await approveJob(lake.runtime.ports, waiting.id, 'approver');
    const plan = (await readJobPlan(lake.runtime.ports.state, waiting.id))!;
    const planned = plan.objects.find((o) => o.object.includes(`${path.sep}customers${path.sep}`))!.object;
    // Customer 21 lives in year=2024 only, so the find never planned this object.
    const unplanned = parseObjectUri(path.join(lake.dir, 'lake', 'customers', 'year=2023', 'data_0.parquet'));
    assert.ok(!plan.objects.some((o) => o.object === unplanned));
    const lakeBefore = await hashTree(path.join(lake.dir, 'lake'));

    const forged: WorkMessage[] = [
      { jobId: waiting.id, object: planned, mapperIds: ['orders'] },
      { jobId: waiting.id, object: planned, mapperIds: ['customers', 'nobody'] },
      { jobId: waiting.id, object: unplanned, mapperIds: ['customers'] },
      { jobId: parseJobId('20200101T000000Z-abcdef'), object: planned, mapperIds: ['customers'] },
    ];
    await lake.runtime.ports.queue.send(forged);
    const logged: Array<Record<string, unknown>> = [];
    await runForgetWorker(lake.runtime.ports, {
      concurrency: 1,
      visibilityTimeoutSeconds: 30,
      maxReceiveCount: 3,
      matchTables: lake.runtime.workerOptions.matchTables,
      signal: new AbortController().signal,
      idleExitSeconds: 0.5,
      log: (record) => logged.push(record),
    });

    assert.deepEqual(await lake.runtime.ports.queue.drainDeadLetters(), forged, 'every forged message is quarantined at once');
    assert.deepEqual(await lake.runtime.ports.queue.depth(), { visible: 0, inFlight: 0, deadLettered: 0 });
    assert.deepEqual(await hashTree(path.join(lake.dir, 'lake')), lakeBefore, 'nothing rewritten');
    assert.deepEqual(await listObjectResults(lake.runtime.ports.state, waiting.id), [], 'no object result recorded for a forged message');
    const rejected = (await listJobEvents(lake.runtime.ports.state, waiting.id)).filter((e) => e.type === 'MessageRejected');
    assert.equal(rejected.length, 3);
    const reasons = rejected.map((e) => String(e.data.reason)).sort();
    assert.match(reasons.join('\n'), /mapper "nobody" is not a mapper of job/);
    assert.match(reasons.join('\n'), /the plan of job \S+ has .*customers.*, not .*orders/);
    assert.match(reasons.join('\n'), /is not in the plan of job/);
    assert.equal(logged.length, 1, 'a message for a job that does not exist is logged by the worker');
    assert.match(String(logged[0]!.message), /job 20200101T000000Z-abcdef not found/);
  });
});

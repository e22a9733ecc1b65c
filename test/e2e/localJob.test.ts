import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { approveJob, cancelJob, rejectJob } from '../../shared/job/jobCommands';
import { manifestsPrefix, reportKey } from '../../shared/records/stateKeys';
import { StateKey } from '../../shared/model/identifiers';
import { TransientError } from '../../shared/model/errors';
import { StateStore } from '../../shared/ports/StateStore';
import { listJobEvents } from '../../shared/records/jobEvents';
import { readJob } from '../../shared/records/jobRecord';
import { readJobPlan } from '../../shared/records/jobPlan';
import { runJob } from '../../shared/job/runJob';
import { forgetObject } from '../../shared/forget/forgetObject';
import { openMatchSession } from '../../shared/forget/matchSession';
import { startJob } from '../../shared/job/startJob';
import { Match } from '../../shared/model/match';
import { hmacMatch } from '../../shared/privacy/hmacMatch';
import { enqueueMatches, listQueue } from '../../shared/queue/deletionQueue';
import { Row, TestLake, filesContaining, hashTree, openTestLake, readJobReport, readTable, runQueuedJob } from '../support/localLake';

const simple = (value: string): { match: Match } => ({ match: { kind: 'simple', value } });

async function tables(lake: TestLake): Promise<{ customers: Row[]; events: Row[]; orders: Row[] }> {
  return {
    customers: await readTable(path.join(lake.dir, 'lake/customers'), 'parquet'),
    events: await readTable(path.join(lake.dir, 'lake/events'), 'json'),
    orders: await readTable(path.join(lake.dir, 'lake/orders'), 'csv'),
  };
}

describe('a local deletion job', function () {
  let lake: TestLake;
  beforeEach(async () => {
    lake = await openTestLake();
  });
  afterEach(async () => {
    await lake.cleanup();
  });

  it('deletes matching rows from Parquet, gzip JSON Lines and CSV, and leaves every other row identical', async () => {
    const before = await tables(lake);
    await enqueueMatches(lake.runtime.ports.state, [
      simple('12'),
      simple('customer31@example.org'),
      { match: { kind: 'composite', columns: { first_name: 'Ann', last_name: 'Lee' } } },
    ]);
    const job = await runQueuedJob(lake);
    assert.equal(job.status, 'COMPLETED', job.failure);

    const isCustomerMatch = (r: Row) => r.customer_id === '12' || r.customer_id === '7' || (r.user as { email: string }).email === 'customer31@example.org';
    const after = await tables(lake);
    assert.deepEqual(after.customers, before.customers.filter((r) => !isCustomerMatch(r)));
    assert.deepEqual(after.events, before.events.filter((r) => r.customer_id !== '12' && r.email !== 'customer31@example.org'));
    assert.deepEqual(after.orders, before.orders.filter((r) => r.customer_id !== '12'));
    const deleted = before.customers.length - after.customers.length + before.events.length - after.events.length + before.orders.length - after.orders.length;
    assert.equal(before.customers.length - after.customers.length, 3);

    const report = await readJobReport(lake, job.id);
    assert.equal(report.job.status, 'COMPLETED');
    assert.equal(report.totals.rowsDeleted, deleted);
    assert.equal(report.matchIds.count, 3);
    assert.deepEqual(report.verification, { ran: true, objectsWithMatches: [] });
    assert.ok(report.objects.every((o) => o.outcome === 'updated' && o.rowsBefore! - o.rowsDeleted! === o.rowsAfter));
    assert.equal((await listQueue(lake.runtime.ports.state)).total, 0, 'processed items leave the queue');
    assert.match(await readFile(lake.runtime.ports.state.describe(reportKey(job.id, 'html')), 'utf8'), /COMPLETED: \d+ rows deleted/);
  });

  it('skips an ID that fits no column of a mapper, names it by HMAC, and keeps no clear ID in its state', async () => {
    await enqueueMatches(lake.runtime.ports.state, [simple('customer5@example.org'), simple('12')]);
    const job = await runQueuedJob(lake);
    assert.equal(job.status, 'COMPLETED');
    const report = await readJobReport(lake, job.id);
    const hash = hmacMatch(lake.hmacKey, { kind: 'simple', value: 'customer5@example.org' });
    assert.deepEqual(
      report.matchIds.skipped.map((s) => [s.matchHash, s.mapperId]),
      [[hash, 'orders']],
    );
    assert.match(report.matchIds.skipped[0]!.reason, /customer_id/);
    assert.deepEqual(await filesContaining(lake.config.stateDir, 'customer5@example.org'), [], 'the state keeps no clear match ID after the job');
  });

  it('finds nothing the second time over the same IDs', async () => {
    await enqueueMatches(lake.runtime.ports.state, [simple('3')]);
    assert.equal((await runQueuedJob(lake)).status, 'COMPLETED');
    const untouched = await hashTree(path.join(lake.dir, 'lake'));
    await enqueueMatches(lake.runtime.ports.state, [simple('3')]);
    const second = await runQueuedJob(lake);
    assert.equal(second.status, 'COMPLETED');
    assert.equal(second.counters.objectsFound, 0);
    assert.deepEqual(await hashTree(path.join(lake.dir, 'lake')), untouched);
  });

  it('ends COMPLETED with its manifests gone when the cleanup listing is cut off once by a transient fault', async () => {
    await enqueueMatches(lake.runtime.ports.state, [simple('1001')]);
    const state = lake.runtime.ports.state;
    let cutOff = 0;
    // A listing that breaks after its first key, as an S3 listing whose second page times out: the
    // find lists an empty manifests folder (no key, no fault), so only the cleanup meets it.
    const flaky: StateStore = Object.assign(Object.create(state) as StateStore, {
      async *list(prefix: StateKey): AsyncIterable<StateKey> {
        let listed = 0;
        for await (const key of state.list(prefix)) {
          yield key;
          if (++listed === 1 && cutOff === 0 && prefix.includes('/manifests/')) {
            cutOff++;
            throw new TransientError('listing cut off');
          }
        }
      },
    });
    const job = await startJob(state, lake.config, 'test');
    const ended = await runJob({ ...lake.runtime.ports, state: flaky }, job.id, { hmacKey: lake.hmacKey, pollIntervalMs: 50 });
    assert.equal(cutOff, 1);
    assert.equal(ended.status, 'COMPLETED');
    const left: StateKey[] = [];
    for await (const key of state.list(manifestsPrefix(job.id))) left.push(key);
    assert.deepEqual(left, []);
  });

  it('allows one active job at a time: of two starters exactly one wins', async () => {
    await enqueueMatches(lake.runtime.ports.state, [simple('3')]);
    const results = await Promise.allSettled([startJob(lake.runtime.ports.state, lake.config), startJob(lake.runtime.ports.state, lake.config)]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.equal(loser.reason.name, 'ConflictError');
    assert.match(loser.reason.message, /one job at a time/);
  });
});

describe('approval, rejection and cancel', function () {
  let lake: TestLake;
  beforeEach(async () => {
    lake = await openTestLake({ requireApproval: true });
    await enqueueMatches(lake.runtime.ports.state, [simple('21')]);
  });
  afterEach(async () => {
    await lake.cleanup();
  });

  it('waits with a purge plan, then forgets once approved', async () => {
    const lakeBefore = await hashTree(path.join(lake.dir, 'lake'));
    const waiting = await runQueuedJob(lake);
    assert.equal(waiting.status, 'AWAITING_APPROVAL');
    assert.deepEqual(await hashTree(path.join(lake.dir, 'lake')), lakeBefore, 'nothing changes before approval');
    const plan = await readJobPlan(lake.runtime.ports.state, waiting.id);
    assert.ok(plan && plan.objects.length >= 3, 'the plan lists the objects to rewrite');
    await approveJob(lake.runtime.ports, waiting.id, 'approver');
    const done = await runJob(lake.runtime.ports, waiting.id, { hmacKey: lake.hmacKey, pollIntervalMs: 50 });
    assert.equal(done.status, 'COMPLETED');
    assert.equal((await readTable(path.join(lake.dir, 'lake/customers'), 'parquet')).filter((r) => r.customer_id === '21').length, 0);
    const events = await listJobEvents(lake.runtime.ports.state, waiting.id);
    assert.ok(events.some((e) => e.type === 'JobApproved' && e.data.by === 'approver'));
    // Locally the notifications are the job's own Notified events: the wait, then the end.
    const notified = events.filter((e) => e.type === 'Notified');
    assert.deepEqual(notified.map((e) => [e.data.kind, e.data.subject]), [
      ['awaitingApproval', `lethe job ${waiting.id} awaits approval (${plan!.objects.length} objects)`],
      ['finished', `lethe job ${waiting.id} COMPLETED`],
    ]);
    assert.match(String(notified[1]!.data.text), new RegExp(`^Rows deleted: ${done.counters.rowsDeleted}; `, 'm'));
    assert.match(String(notified[0]!.data.text), new RegExp(`^Approve: lethe job approve ${waiting.id}$`, 'm'));
    // Timestamps are taken out first: at minute 21 of an hour, "15:21:03" would read as the ID.
    const withoutTimes = JSON.stringify(notified).replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<time>');
    assert.doesNotMatch(withoutTimes, /(^|[^\w])21([^\w]|$)/, 'no match ID in a notification');
  });

  it('treats a redelivered message for an object already done as a no-op', async () => {
    const waiting = await runQueuedJob(lake);
    await approveJob(lake.runtime.ports, waiting.id, 'approver');
    const plan = (await readJobPlan(lake.runtime.ports.state, waiting.id))!;
    const target = plan.objects.find((o) => o.mapperIds.includes('orders'))!;
    const mapper = lake.config.dataMappers.find((m) => m.id === 'orders')!;
    const session = await openMatchSession(lake.runtime.workerOptions.matchTables, waiting.id, ['orders']);
    try {
      const message = { jobId: waiting.id, object: target.object, mapperIds: ['orders'] };
      const first = await forgetObject(lake.runtime.ports, message, [mapper], session, 1);
      assert.equal(first.outcome, 'updated');
      const rewritten = await hashTree(path.dirname(target.object));
      const again = await forgetObject(lake.runtime.ports, message, [mapper], session, 2);
      assert.deepEqual(again, first, 'the first result stands');
      assert.deepEqual(await hashTree(path.dirname(target.object)), rewritten, 'the object is not rewritten twice');
    } finally {
      session.connection.closeSync();
    }
  });

  it('rejects: the lake and the queue stay as they were', async () => {
    const lakeBefore = await hashTree(path.join(lake.dir, 'lake'));
    const waiting = await runQueuedJob(lake);
    const rejected = await rejectJob(lake.runtime.ports, waiting.id, 'approver');
    assert.equal(rejected.status, 'REJECTED');
    assert.deepEqual(await hashTree(path.join(lake.dir, 'lake')), lakeBefore);
    assert.equal((await listQueue(lake.runtime.ports.state)).total, 1);
    await assert.rejects(approveJob(lake.runtime.ports, waiting.id, 'x'), { name: 'InputError', message: /has ended \(REJECTED\)/ });
  });

  it('cancels a job awaiting approval at once, and frees the lock for the next', async () => {
    const waiting = await runQueuedJob(lake);
    const cancelled = await cancelJob(lake.runtime.ports, waiting.id, 'operator');
    assert.equal(cancelled.status, 'CANCELLED');
    assert.equal((await readJob(lake.runtime.ports.state, waiting.id)).job.status, 'CANCELLED');
    const next = await startJob(lake.runtime.ports.state, lake.config);
    assert.equal(next.status, 'QUEUED');
  });
});

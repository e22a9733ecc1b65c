import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { runJob } from '../../shared/job/runJob';
import { startJob } from '../../shared/job/startJob';
import { Match } from '../../shared/model/match';
import { Ports } from '../../shared/ports/Ports';
import { StateStore } from '../../shared/ports/StateStore';
import { hmacMatch } from '../../shared/privacy/hmacMatch';
import { enqueueMatches, listQueue } from '../../shared/queue/deletionQueue';
import { listJobEvents } from '../../shared/records/jobEvents';
import { isQueueBatchKey, reportKey } from '../../shared/records/stateKeys';
import { DeletionReport } from '../../shared/report/deletionReport';
import { renderReportMarkdown } from '../../shared/report/renderReportMarkdown';
import { ETag, JobId, StateKey } from '../../shared/model/identifiers';
import { TestLake, openTestLake, readTable } from '../support/localLake';

const simple = (value: string, mappers?: string[]): { match: Match; mappers?: string[] } => ({ match: { kind: 'simple', value }, ...(mappers ? { mappers } : {}) });

async function runToEnd(lake: TestLake, ports: Ports = lake.runtime.ports) {
  const job = await startJob(ports.state, lake.config, 'test');
  return runJob(ports, job.id, { hmacKey: lake.hmacKey, pollIntervalMs: 50 });
}

async function readReport(lake: TestLake, jobId: JobId, format: 'json' | 'html' = 'json'): Promise<string> {
  return readFile(lake.runtime.ports.state.describe(reportKey(jobId, format)), 'utf8');
}

/** A state store whose queue batches cannot be changed: cleanup of the queue fails. */
function queueWritesFail(state: StateStore): StateStore {
  const refuse = (key: StateKey) => {
    if (isQueueBatchKey(key)) throw new Error(`${key}: refused by the test`);
  };
  return Object.assign(Object.create(state) as StateStore, {
    delete: async (key: StateKey, ifMatch?: ETag) => (refuse(key), state.delete(key, ifMatch)),
    replace: async (key: StateKey, body: string | Buffer, ifMatch: ETag) => (refuse(key), state.replace(key, body, ifMatch)),
  });
}

describe('every match accounted for: UNAPPLIED_MATCHES, and matches skipped for a mapper', function () {
  let lake: TestLake;
  beforeEach(async () => {
    lake = await openTestLake();
  });
  afterEach(async () => {
    await lake.cleanup();
  });

  const hash = (value: string) => hmacMatch(lake.hmacKey, { kind: 'simple', value });

  it('ends UNAPPLIED_MATCHES when a match fits no column it targets; the match stays in the queue and heads the report', async () => {
    await enqueueMatches(lake.runtime.ports.state, [simple('12'), simple('not-a-number', ['orders'])]);
    const job = await runToEnd(lake);
    assert.equal(job.status, 'UNAPPLIED_MATCHES', job.failure);

    const orders = await readTable(path.join(lake.dir, 'lake/orders'), 'csv');
    assert.equal(orders.filter((r) => r.customer_id === '12').length, 0, 'the match that applied was still erased');
    const queue = await listQueue(lake.runtime.ports.state);
    assert.deepEqual(queue.items.map((item) => hmacMatch(lake.hmacKey, item.match)), [hash('not-a-number')], 'only the unapplied match stays queued');

    const report = JSON.parse(await readReport(lake, job.id)) as DeletionReport;
    assert.equal(report.job.status, 'UNAPPLIED_MATCHES');
    const [first, second] = report.matches;
    assert.equal(first!.matchHash, hash('not-a-number'));
    assert.equal(first!.item, queue.items[0]!.id);
    assert.deepEqual(first!.appliedTo, []);
    assert.deepEqual(first!.notApplied.map((n) => n.mapperId), ['orders']);
    assert.match(first!.notApplied[0]!.reason, /"customer_id" \(integer\)/);
    assert.equal(second!.matchHash, hash('12'));
    // "12" is an integer and a string: compared with every column that holds it exactly.
    assert.deepEqual(second!.appliedTo, [
      { mapperId: 'customers', columns: ['customer_id', 'user.email', 'first_name', 'last_name'] },
      { mapperId: 'events', columns: ['customer_id', 'email'] },
      { mapperId: 'orders', columns: ['customer_id'] },
    ]);

    const html = await readReport(lake, job.id, 'html');
    const markdown = renderReportMarkdown(report);
    for (const text of [html, markdown]) {
      assert.match(text, /1 match ID applied to no column of any mapper/);
      const unapplied = text.indexOf(hash('not-a-number').slice(0, 16));
      assert.ok(unapplied >= 0 && unapplied < text.indexOf(hash('12').slice(0, 16)), 'the unapplied match is listed before the others');
      assert.doesNotMatch(text, /not-a-number/);
    }
    assert.doesNotMatch(JSON.stringify(report), /not-a-number/);
  });

  it('counts a match for a mapper the job does not have as applied nowhere', async () => {
    await enqueueMatches(lake.runtime.ports.state, [simple('12', ['retired'])]);
    const job = await runToEnd(lake);
    assert.equal(job.status, 'UNAPPLIED_MATCHES');
    const report = JSON.parse(await readReport(lake, job.id)) as DeletionReport;
    assert.deepEqual(report.matches[0]!.notApplied, [{ mapperId: 'retired', reason: 'no data mapper "retired" in this job' }]);
    assert.equal((await listQueue(lake.runtime.ports.state)).total, 1);
  });

  it('lists, for each match of a COMPLETED job, the mappers and columns it was applied to and why not elsewhere', async () => {
    await enqueueMatches(lake.runtime.ports.state, [simple('customer31@example.org'), { match: { kind: 'composite', columns: { first_name: 'Ann', last_name: 'Lee' } }, mappers: ['customers'] }]);
    const job = await runToEnd(lake);
    assert.equal(job.status, 'COMPLETED', job.failure);
    const report = JSON.parse(await readReport(lake, job.id)) as DeletionReport;
    const email = report.matches.find((m) => m.matchHash === hash('customer31@example.org'))!;
    assert.deepEqual(email.appliedTo, [
      { mapperId: 'customers', columns: ['user.email', 'first_name', 'last_name'] },
      { mapperId: 'events', columns: ['email'] },
    ]);
    assert.deepEqual(email.notApplied.map((n) => n.mapperId), ['orders']);
    const composite = report.matches.find((m) => m.matchHash === hmacMatch(lake.hmacKey, { kind: 'composite', columns: { first_name: 'Ann', last_name: 'Lee' } }))!;
    assert.deepEqual(composite.appliedTo, [{ mapperId: 'customers', columns: ['first_name', 'last_name'] }]);
    assert.deepEqual(composite.notApplied, []);
    assert.equal((await listQueue(lake.runtime.ports.state)).total, 0);
    assert.match(await readReport(lake, job.id, 'html'), /customers: user\.email, first_name, last_name; events: email/);
  });

  it('stays UNAPPLIED_MATCHES when cleanup fails too, and the report says the cleanup failed', async () => {
    await enqueueMatches(lake.runtime.ports.state, [simple('12'), simple('not-a-number', ['orders'])]);
    const ports: Ports = { ...lake.runtime.ports, state: queueWritesFail(lake.runtime.ports.state) };
    const job = await runToEnd(lake, ports);
    assert.equal(job.status, 'UNAPPLIED_MATCHES');
    const report = JSON.parse(await readReport(lake, job.id)) as DeletionReport;
    assert.equal(report.job.status, 'UNAPPLIED_MATCHES');
    assert.match(report.job.cleanupFailures?.join('\n') ?? '', /queue: .*refused by the test/);
    assert.match(await readReport(lake, job.id, 'html'), /Cleanup failed/);
    assert.equal((await listQueue(lake.runtime.ports.state)).total, 2, 'nothing left the queue');
  });

  it('tells matches skipped for a mapper in one event per mapper and reason, with their count, and names each by hash in the report', async () => {
    const emails = ['customer5@example.org', 'nobody1@example.org', 'nobody2@example.org'];
    await enqueueMatches(lake.runtime.ports.state, emails.map((value) => simple(value)));
    const job = await runToEnd(lake);
    assert.equal(job.status, 'COMPLETED', job.failure);
    const events = await listJobEvents(lake.runtime.ports.state, job.id);
    const skips = events.filter((e) => e.type === 'MatchesSkipped' || e.type === 'MatchSkipped');
    assert.equal(skips.length, 1, 'one event for the three emails the orders mapper cannot hold');
    assert.equal(skips[0]!.type, 'MatchesSkipped');
    const { mapperId, reason, matches } = skips[0]!.data;
    assert.deepEqual([mapperId, matches], ['orders', 3]);
    assert.match(String(reason), /"customer_id" \(integer\)/);
    const report = JSON.parse(await readReport(lake, job.id)) as DeletionReport;
    assert.equal(report.matchIds.skippedTotal, 3);
    assert.deepEqual(
      report.matchIds.skipped.map((s) => s.matchHash).sort(),
      emails.map((value) => hmacMatch(lake.hmacKey, { kind: 'simple', value })).sort(),
    );
    assert.doesNotMatch(JSON.stringify(events), /example\.org/);
  });
});

import assert from 'node:assert/strict';
import path from 'node:path';
import { approveJob, cancelJob, rejectJob } from '../../shared/job/jobCommands';
import { runJob } from '../../shared/job/runJob';
import { startJob } from '../../shared/job/startJob';
import { Job } from '../../shared/model/job';
import { Ports } from '../../shared/ports/Ports';
import { StateStore } from '../../shared/ports/StateStore';
import { enqueueMatches } from '../../shared/queue/deletionQueue';
import { listJobEvents } from '../../shared/records/jobEvents';
import { readJobLock } from '../../shared/records/jobLock';
import { readJob } from '../../shared/records/jobRecord';
import { jobKey, manifestsPrefix } from '../../shared/records/stateKeys';
import { JobId, StateKey } from '../../shared/model/identifiers';
import { TestLake, hashTree, openTestLake, readJobReport, runQueuedJob } from '../support/localLake';

/**
 * A state store that runs `between` to its end right after the first read of `key`, before the
 * reader gets its (by then stale) value: the interleaving where a check-then-act goes wrong.
 */
function readThen(state: StateStore, key: string, between: () => Promise<unknown>): StateStore {
  let pending: (() => Promise<unknown>) | undefined = between;
  return {
    read: async (k) => {
      const value = await state.read(k);
      if (k === key && pending) {
        const run = pending;
        pending = undefined;
        await run();
      }
      return value;
    },
    create: (k, body) => state.create(k, body),
    replace: (k, body, ifMatch) => state.replace(k, body, ifMatch),
    delete: (k, ifMatch) => state.delete(k, ifMatch),
    list: (prefix) => state.list(prefix),
    describe: (k) => state.describe(k),
  };
}

/** A state store that runs `between` to its end right after the first write of `key` that `when` accepts, before the writer goes on. */
function writeThen(state: StateStore, key: StateKey, when: (body: string) => boolean, between: () => Promise<unknown>): StateStore {
  let pending: (() => Promise<unknown>) | undefined = between;
  return {
    read: (k) => state.read(k),
    create: (k, body) => state.create(k, body),
    replace: async (k, body, ifMatch) => {
      const etag = await state.replace(k, body, ifMatch);
      if (k === key && pending && when(body.toString())) {
        const run = pending;
        pending = undefined;
        await run();
      }
      return etag;
    },
    delete: (k, ifMatch) => state.delete(k, ifMatch),
    list: (prefix) => state.list(prefix),
    describe: (k) => state.describe(k),
  };
}

async function countKeys(state: StateStore, prefix: StateKey): Promise<number> {
  let n = 0;
  for await (const _ of state.list(prefix)) n++;
  return n;
}

describe('reject and cancel against a concurrent approve', function () {
  let lake: TestLake;
  let jobId: JobId;
  beforeEach(async () => {
    lake = await openTestLake({ requireApproval: true });
    await enqueueMatches(lake.runtime.ports.state, [{ match: { kind: 'simple', value: '12' } }]);
    const job = await runQueuedJob(lake);
    assert.equal(job.status, 'AWAITING_APPROVAL');
    jobId = job.id;
  });
  afterEach(async () => {
    await lake.cleanup();
  });

  function withApproveAfterFirstRead(): Ports {
    const { state } = lake.runtime.ports;
    return { ...lake.runtime.ports, state: readThen(state, jobKey(jobId), () => approveJob({ state }, jobId, 'approver')) };
  }

  it('reject after an approve that slipped in between its read and its write: refused, the approved job and its manifests stay', async () => {
    const { state } = lake.runtime.ports;
    const manifests = await countKeys(state, manifestsPrefix(jobId));
    assert.ok(manifests > 0);
    await assert.rejects(rejectJob(withApproveAfterFirstRead(), jobId, 'rejecter'), { name: 'InputError', message: /is FORGETTING, not AWAITING_APPROVAL/ });
    const { job } = await readJob(state, jobId);
    assert.equal(job.status, 'FORGETTING');
    assert.equal(await countKeys(state, manifestsPrefix(jobId)), manifests, 'the forget about to run still has its manifests');
  });

  it('cancel after an approve that slipped in between its read and its write: the running job is asked to stop, not ended under it', async () => {
    const { state } = lake.runtime.ports;
    const manifests = await countKeys(state, manifestsPrefix(jobId));
    const marked = await cancelJob(withApproveAfterFirstRead(), jobId, 'canceller');
    assert.equal(marked.status, 'FORGETTING');
    const { job } = await readJob(state, jobId);
    assert.equal(job.status, 'FORGETTING');
    assert.equal(job.cancelRequested, true);
    assert.equal(await countKeys(state, manifestsPrefix(jobId)), manifests, 'the coordinator, not cancel, ends the running job');
  });

  it('approve after a reject that slipped in between its read and its write: refused, the job stays REJECTED', async () => {
    const { state } = lake.runtime.ports;
    const racing = { ...lake.runtime.ports, state: readThen(state, jobKey(jobId), () => rejectJob(lake.runtime.ports, jobId, 'rejecter')) };
    await assert.rejects(approveJob(racing, jobId, 'approver'), { name: 'InputError' });
    assert.equal((await readJob(state, jobId)).job.status, 'REJECTED');
  });
});

describe('cancel against the coordinator picking up a QUEUED job', function () {
  let lake: TestLake;
  let jobId: JobId;
  let lakeBefore: Record<string, string>;
  beforeEach(async () => {
    lake = await openTestLake();
    await enqueueMatches(lake.runtime.ports.state, [{ match: { kind: 'simple', value: '12' } }]);
    lakeBefore = await hashTree(path.join(lake.dir, 'lake'));
    const job = await startJob(lake.runtime.ports.state, lake.config, 'test');
    assert.equal(job.status, 'QUEUED');
    jobId = job.id;
  });
  afterEach(async () => {
    await lake.cleanup();
  });

  const coordinate = (ports: Ports): Promise<Job> => runJob(ports, jobId, { hmacKey: lake.hmacKey, pollIntervalMs: 50 });

  /** What a user checks after a cancel won: CANCELLED once, nothing found or rewritten, the lock free, a report. */
  async function assertCancelledUntouched(): Promise<void> {
    const { state } = lake.runtime.ports;
    assert.equal((await readJob(state, jobId)).job.status, 'CANCELLED');
    assert.deepEqual(await hashTree(path.join(lake.dir, 'lake')), lakeBefore, 'no object was rewritten');
    const types = (await listJobEvents(state, jobId)).map((e) => e.type);
    assert.equal(types.filter((t) => t === 'JobFinished').length, 1, `the job ends once: ${types.join(', ')}`);
    assert.equal(types.includes('FindStarted'), false, `the coordinator did no work: ${types.join(', ')}`);
    assert.equal(await readJobLock(state), undefined, 'the lock is released');
    assert.equal(await countKeys(state, manifestsPrefix(jobId)), 0);
    assert.equal((await readJobReport(lake, jobId)).job.status, 'CANCELLED');
  }

  it('cancel lands between the coordinator reading the QUEUED job and moving it to FINDING: cancel wins, the coordinator stops without an error', async () => {
    const { state } = lake.runtime.ports;
    let cancelled: Job | undefined;
    const racing = { ...lake.runtime.ports, state: readThen(state, jobKey(jobId), async () => (cancelled = await cancelJob(lake.runtime.ports, jobId, 'canceller'))) };
    const coordinated = await coordinate(racing);
    assert.equal(cancelled?.status, 'CANCELLED');
    assert.equal(coordinated.status, 'CANCELLED');
    await assertCancelledUntouched();
  });

  it('the coordinator comes between cancel marking the QUEUED job and ending it: cancel wins and ends it, the coordinator leaves it alone', async () => {
    const { state } = lake.runtime.ports;
    let coordinated: Job | undefined;
    const marked = (body: string) => (JSON.parse(body) as Job).cancelRequested === true;
    const racing = { ...lake.runtime.ports, state: writeThen(state, jobKey(jobId), marked, async () => (coordinated = await coordinate(lake.runtime.ports))) };
    const cancelled = await cancelJob(racing, jobId, 'canceller');
    assert.equal(cancelled.status, 'CANCELLED');
    assert.equal(coordinated?.status, 'QUEUED', 'the coordinator returned the job to the cancel that ends it');
    assert.equal(coordinated.cancelRequested, true);
    await assertCancelledUntouched();
  });

  it('the coordinator finishes the job between cancel reading it and writing: cancel loses with one clear error, the job stays COMPLETED', async () => {
    const { state } = lake.runtime.ports;
    const racing = { ...lake.runtime.ports, state: readThen(state, jobKey(jobId), () => coordinate(lake.runtime.ports)) };
    await assert.rejects(cancelJob(racing, jobId, 'canceller'), { name: 'InputError', message: /has ended \(COMPLETED\)/ });
    const { job } = await readJob(state, jobId);
    assert.equal(job.status, 'COMPLETED');
    assert.equal(job.cancelRequested, undefined);
    assert.notDeepEqual(await hashTree(path.join(lake.dir, 'lake')), lakeBefore, 'the job erased what it found');
  });
});

import assert from 'node:assert/strict';
import { approveJob, cancelJob, rejectJob } from '../../shared/job/jobCommands';
import { Ports } from '../../shared/ports/Ports';
import { StateStore } from '../../shared/ports/StateStore';
import { enqueueMatches } from '../../shared/queue/deletionQueue';
import { readJob } from '../../shared/records/jobRecord';
import { jobKey, manifestsPrefix } from '../../shared/records/stateKeys';
import { TestLake, openTestLake, runQueuedJob } from '../support/localLake';

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

async function countKeys(state: StateStore, prefix: string): Promise<number> {
  let n = 0;
  for await (const _ of state.list(prefix)) n++;
  return n;
}

describe('reject and cancel against a concurrent approve', function () {
  let lake: TestLake;
  let jobId: string;
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

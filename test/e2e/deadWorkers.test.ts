import assert from 'node:assert/strict';
import { StateStore } from '../../shared/ports/StateStore';
import { enqueueMatches } from '../../shared/queue/deletionQueue';
import { TestLake, openTestLake, runQueuedJob } from '../support/localLake';

/** A state store on a full disk for the keys under `prefix`: every write there fails, as ENOSPC does. */
function fullDiskUnder(state: StateStore, prefix: string): StateStore {
  const refuse = (key: string) => {
    if (key.includes(prefix)) throw Object.assign(new Error(`ENOSPC: no space left on device, write '${key}'`), { code: 'ENOSPC' });
  };
  return {
    read: (key) => state.read(key),
    create: async (key, body) => {
      refuse(key);
      return state.create(key, body);
    },
    replace: async (key, body, ifMatch) => {
      refuse(key);
      return state.replace(key, body, ifMatch);
    },
    delete: (key, ifMatch) => state.delete(key, ifMatch),
    list: (prefix) => state.list(prefix),
    describe: (key) => state.describe(key),
  };
}

describe('when every forget worker dies', function () {
  this.timeout(60_000);
  let lake: TestLake;
  before(async () => {
    lake = await openTestLake();
  });
  after(async () => {
    await lake.cleanup();
  });

  it('the job fails promptly with the reason instead of waiting forever for the queue to drain', async () => {
    const { ports } = lake.runtime;
    await enqueueMatches(ports.state, [{ match: { kind: 'simple', value: '12' } }]);
    // Object results are what only the workers write: their disk is full, the coordinator's is not.
    ports.state = fullDiskUnder(ports.state, '/objects/');
    const job = await runQueuedJob(lake);
    assert.equal(job.status, 'FAILED');
    assert.match(job.failure ?? '', /FORGETTING: .*forget workers .*ENOSPC: no space left on device/);
  });
});

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { enqueueMatches } from '../../shared/queue/deletionQueue';
import { JobId } from '../../shared/model/identifiers';
import { JobStatus } from '../../shared/model/job';
import { listJobIds, readJob } from '../../shared/records/jobRecord';
import { removeScratchLater, scratchRemoved } from '../../shared/scratch/removeScratchLater';
import { TestLake, openTestLake, runQueuedJob } from '../support/localLake';

describe('scratch removed in the background', function () {
  this.timeout(60_000);
  let lake: TestLake | undefined;
  afterEach(async () => {
    await lake?.cleanup();
    lake = undefined;
  });

  it('scratchRemoved waits for every folder, also one given while it waits', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'lethe-removal-'));
    try {
      const folders = await Promise.all(
        ['a', 'b'].map(async (name) => {
          const folder = path.join(root, name);
          await mkdir(folder);
          await writeFile(path.join(folder, 'source'), Buffer.alloc(1 << 20));
          return folder;
        }),
      );
      removeScratchLater(folders[0]!);
      const waited = scratchRemoved();
      removeScratchLater(folders[1]!);
      await waited;
      assert.deepEqual(await readdir(root), []);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('a job does not end while a removal of its process is under way, and its forget slots leave no folder behind', async () => {
    lake = await openTestLake();
    const { ports } = lake.runtime;
    await enqueueMatches(ports.state, [{ match: { kind: 'simple', value: '1' } }]);
    let release!: () => void;
    removeScratchLater('a removal the test holds', () => new Promise<void>((resolve) => (release = resolve)));
    let ended = false;
    const running = runQueuedJob(lake).finally(() => (ended = true));
    const jobId = await waitForStatus(lake, 'CLEANING_UP');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(ended, false, 'the job waits in CLEANING_UP for the removal');
    assert.equal((await readJob(ports.state, jobId)).job.status, 'CLEANING_UP');
    release();
    const job = await running;
    assert.equal(job.status, 'COMPLETED', job.failure);
    assert.ok(job.counters.objectsUpdated > 0, 'the job replaced objects, so its slots had folders to remove');
    const left = (await readdir(ports.tempDirectory)).filter((name) => name.startsWith(`lethe-${process.pid}-forget-`));
    assert.deepEqual(left, [], 'no forget folder left: each held the last link to an object as it was');
    assert.ok((await stat(ports.tempDirectory)).isDirectory());
  });
});

/** The job's id once its record shows `status` (the test started the only job). */
async function waitForStatus(lake: TestLake, status: JobStatus): Promise<JobId> {
  const { state } = lake.runtime.ports;
  for (let attempt = 0; attempt < 600; attempt++) {
    for (const jobId of await listJobIds(state)) if ((await readJob(state, jobId)).job.status === status) return jobId;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no job reached ${status}`);
}

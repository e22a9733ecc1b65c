import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { approveJob } from '../../shared/job/jobCommands';
import { runJob } from '../../shared/job/runJob';
import { enqueueMatches } from '../../shared/queue/deletionQueue';
import { listJobEvents } from '../../shared/records/jobEvents';
import { TestLake, openTestLake, readJobReport, runQueuedJob } from '../support/localLake';

describe('an object that fails for good', function () {
  this.timeout(60_000);
  let lake: TestLake;
  before(async () => {
    lake = await openTestLake({ requireApproval: true, maxReceiveCount: 3, verify: false });
  });
  after(async () => {
    await lake.cleanup();
  });

  it('fails at once: one download, one attempt, no redelivery, the reason in the report', async () => {
    const { ports } = lake.runtime;
    await enqueueMatches(ports.state, [{ match: { kind: 'simple', value: '12' } }]);
    const waiting = await runQueuedJob(lake);
    assert.equal(waiting.status, 'AWAITING_APPROVAL');
    // Customer 12 is in year=2023 only; the object turns unreadable after the find saw it (verify off:
    // it would fail reading the same object, which is not what this test is about).
    const broken = path.join(lake.dir, 'lake', 'customers', 'year=2023', 'data_0.parquet');
    await writeFile(broken, 'this is not a Parquet file');
    const downloads = new Map<string, number>();
    const download = ports.lake.download.bind(ports.lake);
    ports.lake.download = async (at, toFile) => {
      downloads.set(at.uri, (downloads.get(at.uri) ?? 0) + 1);
      return download(at, toFile);
    };
    await approveJob(ports, waiting.id, 'approver');
    const job = await runJob(ports, waiting.id, { hmacKey: lake.hmacKey, pollIntervalMs: 50 });

    assert.equal(job.status, 'FORGET_PARTIALLY_FAILED', job.failure);
    assert.equal(downloads.get(broken), 1, 'downloaded and rewritten once, not once per delivery');
    const result = (await readJobReport(lake, job.id)).objects.find((o) => o.object === broken);
    assert.equal(result?.outcome, 'failed');
    assert.equal(result?.attempts, 1);
    assert.match(result?.error ?? '', /data_0\.parquet/);
    const failed = (await listJobEvents(ports.state, job.id)).filter((e) => e.type === 'ObjectFailed');
    assert.deepEqual(failed.map((e) => e.data.object), [broken]);
  });
});

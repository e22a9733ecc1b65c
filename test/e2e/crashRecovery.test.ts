import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { adoptJob, findOrphanedJob } from '../../shared/job/jobCommands';
import { runJob } from '../../shared/job/runJob';
import { readJobLock } from '../../shared/records/jobLock';
import { enqueueMatches } from '../../shared/queue/deletionQueue';
import { TestLake, hashTree, openTestLake, readJobReport, readTable } from '../support/localLake';

describe('a crash between rewrite and replace', function () {
  let lake: TestLake;
  before(async () => {
    lake = await openTestLake();
  });
  after(async () => {
    await lake.cleanup();
  });

  it('leaves every source object intact, and the next start resumes the job to COMPLETED with no scratch left in the lake or tmp', async () => {
    await enqueueMatches(lake.runtime.ports.state, [{ match: { kind: 'simple', value: '12' } }]);
    const lakeDir = path.join(lake.dir, 'lake');
    const before = await hashTree(lakeDir);
    const crashed = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, '../support/crashAtReplace.ts'), lake.config.configPath, 'before'], { encoding: 'utf8' });
    assert.equal(crashed.signal, 'SIGKILL', `the job process should die at replace: ${crashed.stderr}`);
    const tmp = path.join(lake.dir, 'state', 'tmp');
    assert.notDeepEqual(await readdir(tmp), [], 'the killed run left its scratch (the pre-erasure copy) behind');

    assert.deepEqual(await hashTree(lakeDir), before, 'no object was touched: each still holds its source bytes');
    const orphan = await findOrphanedJob(lake.runtime.ports);
    assert.ok(orphan, 'the dead process left a job to resume');
    assert.equal(orphan.status, 'FORGETTING');

    await adoptJob(lake.runtime.ports, orphan.id);
    const resumed = await runJob(lake.runtime.ports, orphan.id, { hmacKey: lake.hmacKey, pollIntervalMs: 50 });
    assert.equal(resumed.status, 'COMPLETED', resumed.failure);
    assert.equal((await readTable(path.join(lakeDir, 'customers'), 'parquet')).filter((r) => r.customer_id === '12').length, 0);
    assert.equal((await readTable(path.join(lakeDir, 'orders'), 'csv')).filter((r) => r.customer_id === '12').length, 0);
    assert.equal(await readJobLock(lake.runtime.ports.state), undefined, 'the lock is released');
    const lakeFiles = Object.keys(await hashTree(lakeDir));
    assert.deepEqual(lakeFiles.filter((f) => path.basename(f).startsWith('.')), [], 'no scratch file in the lake');
    // What this (live) process holds open is its own; everything the killed run left must be gone.
    const ownScratch = `lethe-${process.pid}-`;
    assert.deepEqual((await readdir(tmp)).filter((name) => !name.startsWith(ownScratch)), [], 'tmp holds nothing of the killed run');
  });
});

describe('a crash between the replace and its result record', function () {
  let lake: TestLake;
  before(async () => {
    lake = await openTestLake();
  });
  after(async () => {
    await lake.cleanup();
  });

  it('the resumed job counts the object the killed run replaced as updated, with the rows that run deleted', async () => {
    await enqueueMatches(lake.runtime.ports.state, [{ match: { kind: 'simple', value: '12' } }]);
    const lakeDir = path.join(lake.dir, 'lake');
    const before = await hashTree(lakeDir);
    // Rows holding the match, read by the test's own DuckDB: '12' fits only the integer customer_id columns.
    let rowsWithMatch = 0;
    for (const [table, format] of [['customers', 'parquet'], ['events', 'json'], ['orders', 'csv']] as const) {
      rowsWithMatch += (await readTable(path.join(lakeDir, table), format)).filter((r) => r.customer_id === '12').length;
    }
    assert.ok(rowsWithMatch > 0);

    const crashed = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, '../support/crashAtReplace.ts'), lake.config.configPath, 'after'], { encoding: 'utf8' });
    assert.equal(crashed.signal, 'SIGKILL', `the job process should die after its first replace: ${crashed.stderr}`);
    const replacedByKilledRun = Object.entries(await hashTree(lakeDir)).filter(([file, hash]) => before[file] !== hash);
    // Two workers run at once: the other may have replaced an object too before the kill landed.
    assert.ok(replacedByKilledRun.length >= 1, 'the killed run replaced an object');

    const orphan = await findOrphanedJob(lake.runtime.ports);
    assert.ok(orphan, 'the dead process left a job to resume');
    await adoptJob(lake.runtime.ports, orphan.id);
    const resumed = await runJob(lake.runtime.ports, orphan.id, { hmacKey: lake.hmacKey, pollIntervalMs: 50 });
    assert.equal(resumed.status, 'COMPLETED', resumed.failure);

    const after = await hashTree(lakeDir);
    const changed = Object.keys(before).filter((file) => after[file] !== before[file]);
    assert.ok(changed.length > 1);
    assert.equal(resumed.counters.objectsUpdated, changed.length, 'every object whose bytes changed is counted updated');
    assert.equal(resumed.counters.objectsUnchanged, 0, 'the object the killed run replaced is not counted unchanged');
    assert.equal(resumed.counters.rowsDeleted, rowsWithMatch, 'the rows the killed run deleted are counted');
    const report = await readJobReport(lake, orphan.id);
    for (const [file] of replacedByKilledRun) {
      const listed = report.objects.find((o) => o.object === path.join(lakeDir, file));
      assert.equal(listed?.outcome, 'updated', `${file} is reported updated`);
      assert.ok((listed.rowsDeleted ?? 0) > 0, `${file}: its deleted rows are reported`);
    }
  });
});

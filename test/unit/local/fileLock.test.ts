import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { withFileLock } from '../../../shared/adapters/local/fileLock';

describe('withFileLock', function () {
  // A lock left by a killed holder must not be waited out (30 s, then a conflict).
  this.timeout(5000);
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lethe-lock-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('names its holder in the lock, and removes the lock when done', async () => {
    const lock = path.join(dir, 'lethe-lock-a');
    const seen = await withFileLock(lock, () => readFile(lock, 'utf8'));
    assert.equal(seen, String(process.pid));
    assert.deepEqual(await readdir(dir), []);
  });

  it('takes over at once a fresh lock whose holder was killed', async () => {
    const lock = path.join(dir, 'lethe-lock-b');
    await writeFile(lock, String(spawnSync(process.execPath, ['-e', '']).pid));
    assert.equal(await withFileLock(lock, async () => 'ran'), 'ran');
    assert.deepEqual(await readdir(dir), []);
  });
});

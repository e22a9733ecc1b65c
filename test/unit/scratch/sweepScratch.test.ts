import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sweepScratch } from '../../../shared/scratch/sweepScratch';

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid;
}

describe('sweepScratch', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lethe-sweep-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("removes a killed process's scratch and the replace locks it held, and keeps a live process's and other names", async () => {
    const dead = deadPid();
    await mkdir(path.join(dir, `lethe-${dead}-forget-abc`));
    await mkdir(path.join(dir, `lethe-${process.pid}-forget-def`));
    await writeFile(path.join(dir, 'lethe-lock-0e298dec'), String(dead));
    await writeFile(path.join(dir, 'lethe-lock-2a250868'), String(process.pid));
    // A lock whose holder has not written its pid yet is a live holder's.
    await writeFile(path.join(dir, 'lethe-lock-c3990412'), '');
    await writeFile(path.join(dir, 'someone-else.txt'), 'not ours');
    const removed = await sweepScratch(dir);
    assert.deepEqual(removed.sort(), [`lethe-${dead}-forget-abc`, 'lethe-lock-0e298dec']);
    assert.deepEqual((await readdir(dir)).sort(), [`lethe-${process.pid}-forget-def`, 'lethe-lock-2a250868', 'lethe-lock-c3990412', 'someone-else.txt']);
  });
});

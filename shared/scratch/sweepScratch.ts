import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { SCRATCH_NAME } from './makeScratchDirectory';

/**
 * Removes the scratch folders that processes which no longer run left under `tempDirectory` (a
 * SIGKILL skips every `finally`): pre-erasure copies of objects, rewrites, DuckDB spill files. Names
 * that are not lethe's scratch are left alone (on AWS the temp directory is the container's /tmp),
 * and so is a live process's scratch, which may be a worker at work. Returns the names removed.
 */
export async function sweepScratch(tempDirectory: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(tempDirectory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const leftovers = names.filter((name) => {
    const owner = SCRATCH_NAME.exec(name)?.[1];
    return owner !== undefined && !isRunning(Number(owner));
  });
  for (const name of leftovers) await rm(path.join(tempDirectory, name), { recursive: true, force: true });
  return leftovers;
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

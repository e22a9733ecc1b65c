import { readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { isProcessRunning } from './isProcessRunning';
import { SCRATCH_NAME } from './makeScratchDirectory';

/**
 * Removes the scratch folders that processes which no longer run left under `tempDirectory` (a
 * SIGKILL skips every `finally`): pre-erasure copies of objects, rewrites, DuckDB spill files. Names
 * and the replace's lock files (`lethe-lock-*`, holding their holder's pid) of a process killed while it
 * held one are removed too. Names that are not lethe's scratch are left alone (on AWS the temp directory is the container's /tmp),
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
  const leftovers: string[] = [];
  for (const name of names) {
    const owner = SCRATCH_NAME.exec(name)?.[1] ?? (LOCK_NAME.test(name) ? await lockHolder(path.join(tempDirectory, name)) : undefined);
    if (owner !== undefined && !isProcessRunning(Number(owner))) leftovers.push(name);
  }
  for (const name of leftovers) await rm(path.join(tempDirectory, name), { recursive: true, force: true });
  return leftovers;
}

/** The local object store's replace locks: a fixed name per object, the holder's pid inside. */
export const LOCK_NAME = /^lethe-lock-/;

/** The pid a lock file names, or undefined while its holder has not written it yet (a live holder). */
async function lockHolder(file: string): Promise<string | undefined> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return /^\d+$/.test(text) ? text : undefined;
}

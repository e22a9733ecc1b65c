import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';

/** Scratch names carry the owning process, so a sweep can tell a live run's files from a dead one's. */
export const SCRATCH_NAME = /^lethe-(\d+)-/;

/**
 * A fresh folder under `tempDirectory` named for this process (`lethe-<pid>-<purpose>-<random>`).
 * Everything lethe writes while it works (downloaded source versions, rewrites, DuckDB spill files)
 * goes into one of these, so a run killed before its `finally` leaves nothing sweepScratch misses.
 */
export function makeScratchDirectory(tempDirectory: string, purpose: string): Promise<string> {
  return mkdtemp(path.join(tempDirectory, `lethe-${process.pid}-${purpose}-`));
}

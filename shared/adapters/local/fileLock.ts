import { open, readFile, rm, stat } from 'node:fs/promises';
import { sleep } from '../../concurrency/retryWithBackoff';
import { ConflictError } from '../../model/errors';
import { isProcessRunning } from '../../scratch/isProcessRunning';

const STALE_LOCK_MS = 60_000;

/**
 * Runs `work` holding an exclusive lock file (created with O_EXCL), so a compare-then-rename on a
 * filesystem is atomic against other lethe processes. The file holds the holder's pid: a lock whose
 * holder no longer runs, or older than a minute, is a crashed holder's and is taken over.
 */
export async function withFileLock<T>(lockPath: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      try {
        await handle.writeFile(String(process.pid));
      } finally {
        await handle.close();
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const info = await stat(lockPath).catch(() => undefined);
      const holder = await readFile(lockPath, 'utf8').catch(() => '');
      // A holder killed with SIGKILL never removes its lock: take it over at once rather than wait it out.
      const abandoned = /^\d+$/.test(holder) && !isProcessRunning(Number(holder));
      if (abandoned || (info && Date.now() - info.mtimeMs > STALE_LOCK_MS)) await rm(lockPath, { force: true });
      else if (Date.now() > deadline) throw new ConflictError(`${lockPath} is held by another process`);
      else await sleep(5 + Math.random() * 20);
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockPath, { force: true });
  }
}

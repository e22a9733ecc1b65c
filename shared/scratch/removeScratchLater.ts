import { rm } from 'node:fs/promises';

/** Removals of this process's scratch folders still under way. */
const underWay = new Set<Promise<void>>();

/**
 * Removes a scratch folder in the background. A forget slot's folder holds the last link to the
 * object as it was before its replace, and freeing a large file takes a while (121 ms for 411 MB
 * here) that the slot's next object and the job's next step need not wait for. A removal that fails
 * leaves the folder to sweepScratch, once this process has ended.
 */
export function removeScratchLater(folder: string, remove: (folder: string) => Promise<void> = removeFolder): void {
  const removal: Promise<void> = remove(folder).then(
    () => {},
    () => {},
  );
  underWay.add(removal);
  void removal.then(() => underWay.delete(removal));
}

/**
 * Resolves once every removal started before or while it waits has ended: a job does not end, and a
 * worker does not exit, with an erased object's old bytes still in this process's scratch.
 */
export async function scratchRemoved(): Promise<void> {
  while (underWay.size > 0) await Promise.all([...underWay]);
}

function removeFolder(folder: string): Promise<void> {
  return rm(folder, { recursive: true, force: true });
}

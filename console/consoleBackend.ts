import { access, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import { Runtime } from '../shared/runtime/Runtime';

/**
 * What the console runs over: the runtime the CLI opens (a state folder locally, the stack's buckets
 * and queues on AWS). `checkState` says whether the state store answers at all, so pages can say so
 * plainly instead of showing an empty queue.
 */
export interface ConsoleBackend extends Pick<Runtime, 'mode' | 'ports' | 'config' | 'hmacKey' | 'launchJob' | 'close'> {
  /** Throws StateUnreachableError when the state store cannot be read. */
  checkState(): Promise<void>;
}

export class StateUnreachableError extends Error {
  constructor(
    readonly where: string,
    readonly reason: string,
  ) {
    super(`the state store ${where} is unreachable: ${reason}`);
    this.name = 'StateUnreachableError';
  }
}

/**
 * A state folder that was removed reads as empty to the store (a missing key is not an error), so the
 * folder itself is probed: it must exist and be readable and writable.
 */
export async function checkStateFolder(folder: string): Promise<void> {
  try {
    const info = await stat(folder);
    if (!info.isDirectory()) throw new StateUnreachableError(folder, 'it is not a folder');
    await access(folder, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (error) {
    if (error instanceof StateUnreachableError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new StateUnreachableError(folder, code === 'ENOENT' ? 'the folder does not exist (was it removed or moved?)' : code === 'EACCES' ? 'permission denied' : String(code ?? error));
  }
}

/** Errors from the state store's own I/O that mean "cannot reach it", not "bad input". */
export function asStateUnreachable(error: unknown, where: string): StateUnreachableError | undefined {
  if (error instanceof StateUnreachableError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'ENOTDIR' || code === 'EIO') return new StateUnreachableError(where, code === 'EIO' ? 'I/O error' : 'permission denied');
  return undefined;
}

import { createHash, randomBytes } from 'node:crypto';
import { chmod, copyFile, link, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConflictError, InputError } from '../../model/errors';
import { ObjectHead, ObjectListing, ObjectProps, ObjectStore, ObjectVersion } from '../../ports/ObjectStore';
import { withFileLock } from './fileLock';
import { ETag, ObjectUri, parseETag, parseObjectUri } from '../../model/identifiers';

/**
 * A lake in a folder; objects are absolute file paths. The ETag is size, modification time and inode,
 * so any write or replacement of the file changes it. A folder keeps no versions.
 */
export class DirectoryObjectStore implements ObjectStore {
  /** @param scratchDirectory the state folder's tmp/: the replace's lock files live there, never in the lake. */
  constructor(private readonly scratchDirectory: string) {}

  async *list(prefix: string): AsyncIterable<ObjectListing> {
    checkLocalPath(prefix);
    yield* await walkObjects(prefix);
  }

  async head(uri: ObjectUri): Promise<ObjectHead | undefined> {
    checkLocalPath(uri);
    try {
      const info = await stat(uri);
      if (!info.isFile()) return undefined;
      return { uri, etag: fileTag(info), size: info.size, props: { fileMode: info.mode & 0o777 } };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /**
   * A hard link when the temp folder is on the lake's filesystem: the source version's bytes stay
   * reachable through it even after the object is replaced (replace renames a new file over the
   * name, never writes in place), and a gigabyte is not copied. Elsewhere, a copy.
   */
  async download(at: ObjectVersion, toFile: string): Promise<void> {
    await this.expectVersion(at);
    await linkOrCopy(at.uri, toFile);
    // A writer that changed the file while we linked or copied it would leave us a torn copy.
    await this.expectVersion(at);
  }

  async versionAfterReplace(at: ObjectVersion, fromFile: string): Promise<ETag | undefined> {
    checkLocalPath(at.uri);
    const [file, folder] = await Promise.all([stat(fromFile), stat(path.dirname(at.uri))]);
    // replace renames on one filesystem (chmod leaves size, time and inode alone); across two it copies.
    return file.dev === folder.dev ? fileTag(file) : undefined;
  }

  async replace(at: ObjectVersion, fromFile: string, props: ObjectProps): Promise<ObjectHead> {
    if (props.fileMode !== undefined) await chmod(fromFile, props.fileMode);
    const lockName = `lethe-lock-${createHash('sha256').update(at.uri).digest('hex').slice(0, 32)}`;
    await withFileLock(path.join(this.scratchDirectory, lockName), async () => {
      await this.expectVersion(at);
      await renameAcross(fromFile, at.uri);
    });
    const head = await this.head(at.uri);
    if (!head) throw new ConflictError(`${at.uri} disappeared right after it was replaced`, { object: at.uri });
    return head;
  }

  /** A folder keeps no old versions, so there is never one left to delete. */
  async checkVersionsDeletable(): Promise<void> {}

  async deleteOtherVersions(): Promise<number> {
    return 0;
  }

  /** Nothing to delete; a file that is there again is someone's new object, not a leftover version. */
  async deleteAllVersions(uri: ObjectUri): Promise<number> {
    if (await this.head(uri)) throw new ConflictError(`${uri} exists again; left in place`, { object: uri });
    return 0;
  }

  private async expectVersion(at: ObjectVersion): Promise<void> {
    const head = await this.head(at.uri);
    if (!head) throw new ConflictError(`${at.uri} no longer exists`, { object: at.uri });
    if (head.etag !== at.etag) throw new ConflictError(`${at.uri} changed since it was read`, { object: at.uri });
  }
}

async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (error) {
    if (!CROSS_DEVICE.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    await copyFile(from, to);
  }
}

/**
 * Renames the rewrite over the object: atomic, and nothing is staged in the lake, so a crash leaves
 * the lake folder as it was. Only when the scratch folder is on another filesystem than the lake is
 * the rewrite copied beside the object first (a copy over the name would not be atomic), and removed
 * if the rename does not happen.
 */
async function renameAcross(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
    return;
  } catch (error) {
    if (!CROSS_DEVICE.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
  }
  const staged = path.join(path.dirname(to), `.lethe-${randomBytes(6).toString('hex')}-${path.basename(to)}`);
  try {
    await copyFile(from, staged);
    await rename(staged, to);
  } finally {
    await rm(staged, { force: true });
  }
}

/** Errors that mean "not on one filesystem" (or links not allowed there): fall back to a copy. */
const CROSS_DEVICE = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EMLINK']);

function fileTag(info: { size: number; mtimeMs: number; ino: number }): ETag {
  return parseETag(`${info.size.toString(16)}-${Math.round(info.mtimeMs * 1000).toString(16)}-${info.ino.toString(16)}`);
}

function checkLocalPath(uri: string): void {
  if (!path.isAbsolute(uri)) throw new InputError(`${uri}: a directory lake needs absolute paths (s3:// locations need LETHE_MODE=aws)`);
}

/**
 * Every file under a folder in key order, hidden and underscore names included, as an S3 listing
 * returns them: what is data is the find's decision (isDataObject), and `_delta_log/` or `.hoodie/`
 * must be visible for it to refuse such a table.
 */
async function walkObjects(folder: string): Promise<ObjectListing[]> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // Every subfolder read and every file's size asked at once (one directory and stat after another
  // made the walk a chain of waits); the order stays the sorted walk's.
  const listed = await Promise.all(
    entries.map(async (entry): Promise<ObjectListing[]> => {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) return walkObjects(full);
      return entry.isFile() ? [{ uri: parseObjectUri(full), size: (await stat(full)).size }] : [];
    }),
  );
  return listed.flat();
}

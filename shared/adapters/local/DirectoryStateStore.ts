import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConflictError } from '../../model/errors';
import { ETag, StateKey, parseETag, parseStateKey } from '../../model/identifiers';
import { StateStore, StoredValue } from '../../ports/StateStore';
import { withFileLock } from './fileLock';

const TEMP_SUFFIX = '.lethe-tmp';
const LOCK_SUFFIX = '.lethe-lock';

/**
 * The state store as a folder (default .lethe/). Same guarantees as S3 conditional writes: create
 * links a complete temp file into place (fails if the name exists); replace and delete compare the
 * content hash under a lock file, then rename atomically.
 */
export class DirectoryStateStore implements StateStore {
  constructor(readonly root: string) {}

  describe(key: StateKey): string {
    return path.join(this.root, key);
  }

  async read(key: StateKey): Promise<StoredValue | undefined> {
    try {
      const body = await readFile(this.describe(key));
      return { body, etag: contentTag(body) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async create(key: StateKey, body: Buffer | string): Promise<ETag> {
    const target = this.describe(key);
    const temp = await this.writeTemp(target, body);
    try {
      await link(temp, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new ConflictError(`${target} already exists`);
      throw error;
    } finally {
      await rm(temp, { force: true });
    }
    return contentTag(body);
  }

  async replace(key: StateKey, body: Buffer | string, ifMatch: ETag): Promise<ETag> {
    const target = this.describe(key);
    return withFileLock(target + LOCK_SUFFIX, async () => {
      await this.expectTag(key, ifMatch);
      await rename(await this.writeTemp(target, body), target);
      return contentTag(body);
    });
  }

  async delete(key: StateKey, ifMatch?: ETag): Promise<void> {
    const target = this.describe(key);
    if (ifMatch === undefined) await rm(target, { force: true });
    else {
      try {
        await withFileLock(target + LOCK_SUFFIX, async () => {
          const current = await this.read(key);
          if (current && current.etag !== ifMatch) throw new ConflictError(`${target} changed since it was read`);
          await rm(target, { force: true });
        });
      } catch (error) {
        // No folder for the lock: a delete before this one took the key and pruned its folder (a
        // cleanup resumed after a kill), and a key that is gone is deleted, as under the lock.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    await this.pruneEmptyFolders(path.dirname(target));
  }

  /** Cleanup should leave no trace of a job's manifests, not even empty folders named after mappers. */
  private async pruneEmptyFolders(folder: string): Promise<void> {
    for (let dir = folder; dir.startsWith(this.root + path.sep); dir = path.dirname(dir)) {
      try {
        await rmdir(dir);
      } catch {
        return;
      }
    }
  }

  async *list(prefix: StateKey): AsyncIterable<StateKey> {
    const slash = prefix.lastIndexOf('/');
    const folder = prefix.slice(0, slash + 1);
    for (const key of await listFiles(this.root, folder)) if (key.startsWith(prefix)) yield parseStateKey(key, `list ${this.describe(prefix)}`);
  }

  private async expectTag(key: StateKey, ifMatch: ETag): Promise<void> {
    const current = await this.read(key);
    if (!current) throw new ConflictError(`${this.describe(key)} no longer exists`);
    if (current.etag !== ifMatch) throw new ConflictError(`${this.describe(key)} changed since it was read`);
  }

  private async writeTemp(target: string, body: Buffer | string): Promise<string> {
    const temp = `${target}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
    // A concurrent delete may prune the folder between mkdir and write: make it again once.
    for (let attempt = 0; ; attempt++) {
      await mkdir(path.dirname(target), { recursive: true });
      try {
        await writeFile(temp, body);
        return temp;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt > 2) throw error;
      }
    }
  }
}

function contentTag(body: Buffer | string): ETag {
  return parseETag(createHash('sha256').update(body).digest('hex').slice(0, 32));
}

/** Keys (paths relative to root, with /) of every file under `folder`, sorted; temp and lock files left out. */
async function listFiles(root: string, folder: string): Promise<string[]> {
  const keys: string[] = [];
  const walk = async (relative: string) => {
    let entries;
    try {
      entries = await readdir(path.join(root, relative), { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      const key = relative + entry.name;
      if (entry.isDirectory()) await walk(key + '/');
      else if (!entry.name.endsWith(TEMP_SUFFIX) && !entry.name.endsWith(LOCK_SUFFIX)) keys.push(key);
    }
  };
  await walk(folder);
  return keys.sort();
}

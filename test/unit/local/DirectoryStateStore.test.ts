import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DirectoryStateStore } from '../../../shared/adapters/local/DirectoryStateStore';
import { parseStateKey } from '../../../shared/model/identifiers';

describe('DirectoryStateStore', () => {
  let root: string;
  let store: DirectoryStateStore;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'lethe-state-'));
    store = new DirectoryStateStore(root);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('creates a key once: of 20 concurrent creates exactly one wins, and its body is whole', async () => {
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => store.create(parseStateKey('lock.json'), `writer ${i}`.repeat(1000))));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    assert.ok(results.every((r) => r.status === 'fulfilled' || (r.reason as Error).name === 'ConflictError'));
    assert.match((await store.read(parseStateKey('lock.json')))!.body.toString(), /^(writer \d+)+$/);
  });

  it('replaces only the version read: concurrent read-modify-writes lose no update', async () => {
    await store.create(parseStateKey('counter'), '0');
    const increment = async () => {
      for (;;) {
        const current = (await store.read(parseStateKey('counter')))!;
        try {
          await store.replace(parseStateKey('counter'), String(Number(current.body) + 1), current.etag);
          return;
        } catch (error) {
          if ((error as Error).name !== 'ConflictError') throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: 25 }, increment));
    assert.equal((await store.read(parseStateKey('counter')))!.body.toString(), '25');
  });

  it('refuses a delete of a changed key, lists keys in order, and leaves no empty folder', async () => {
    await store.create(parseStateKey('jobs/b/x.json'), '1');
    await store.create(parseStateKey('jobs/a/y.json'), '1');
    const stale = (await store.read(parseStateKey('jobs/a/y.json')))!.etag;
    await store.replace(parseStateKey('jobs/a/y.json'), '2', stale);
    await assert.rejects(store.delete(parseStateKey('jobs/a/y.json'), stale), { name: 'ConflictError' });
    const keys: string[] = [];
    for await (const key of store.list(parseStateKey('jobs/'))) keys.push(key);
    assert.deepEqual(keys, ['jobs/a/y.json', 'jobs/b/x.json']);
    await store.delete(parseStateKey('jobs/b/x.json'));
    const left: string[] = [];
    for await (const key of store.list(parseStateKey('jobs/b/'))) left.push(key);
    assert.deepEqual(left, []);
  });

  it('deletes with If-Match a key already gone with its folder as a no-op, as a resumed cleanup does', async () => {
    const key = parseStateKey('queue/batch-1.jsonl');
    await store.create(key, 'x\n');
    const { etag } = (await store.read(key))!;
    // The killed run deleted the last batch and pruned queue/; the resumed run deletes it again.
    await store.delete(key, etag);
    await store.delete(key, etag);
    assert.equal(await store.read(key), undefined);
  });
});

import assert from 'node:assert/strict';
import { watch } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DirectoryObjectStore } from '../../../shared/adapters/local/DirectoryObjectStore';
import { parseObjectUri } from '../../../shared/model/identifiers';

describe('DirectoryObjectStore', () => {
  let root: string;
  let lake: DirectoryObjectStore;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'lethe-lake-'));
    await mkdir(path.join(root, 'lake', 'year=2024'), { recursive: true });
    await mkdir(path.join(root, 'tmp'));
    lake = new DirectoryObjectStore(path.join(root, 'tmp'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('keeps the downloaded source version readable after the object is replaced', async () => {
    const object = parseObjectUri(path.join(root, 'lake', 'year=2024', 'part-0.csv'));
    await writeFile(object, 'id\n1\n2\n');
    const head = (await lake.head(object))!;
    const source = path.join(root, 'tmp', 'source');
    await lake.download(head, source);
    const rewritten = path.join(root, 'tmp', 'rewritten');
    await writeFile(rewritten, 'id\n2\n');
    const after = await lake.replace(head, rewritten, head.props);
    assert.equal(await readFile(object, 'utf8'), 'id\n2\n');
    assert.equal(await readFile(source, 'utf8'), 'id\n1\n2\n', 'the copy still holds the version it was taken from');
    assert.notEqual(after.etag, head.etag);
  });

  it('tells before a replace the version it will write (permission bits set on the way), and that version is what head reads after', async () => {
    const object = parseObjectUri(path.join(root, 'lake', 'year=2024', 'part-0.csv'));
    await writeFile(object, 'id\n1\n2\n', { mode: 0o640 });
    const head = (await lake.head(object))!;
    const rewritten = path.join(root, 'tmp', 'rewritten');
    await writeFile(rewritten, 'id\n2\n', { mode: 0o600 });
    const told = await lake.versionAfterReplace(head, rewritten);
    assert.ok(told);
    assert.notEqual(told, head.etag);
    const after = await lake.replace(head, rewritten, head.props);
    assert.equal(after.etag, told);
    assert.equal((await lake.head(object))!.etag, told);
  });

  it('writes no scratch file into the lake folder while it replaces an object', async () => {
    const folder = path.join(root, 'lake', 'year=2024');
    const object = parseObjectUri(path.join(folder, 'part-0.csv'));
    await writeFile(object, 'id\n1\n2\n');
    const head = (await lake.head(object))!;
    const rewritten = path.join(root, 'tmp', 'rewritten');
    await writeFile(rewritten, 'id\n2\n');
    // A SIGKILL between staging and rename would leave whatever appears here in the lake.
    const seen = new Set<string>();
    const watcher = watch(folder, (_event, name) => {
      if (name) seen.add(name.toString());
    });
    try {
      await lake.replace(head, rewritten, head.props);
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      watcher.close();
    }
    assert.deepEqual([...seen], ['part-0.csv']);
    assert.deepEqual(await readdir(folder), ['part-0.csv']);
    assert.equal(await readFile(object, 'utf8'), 'id\n2\n');
  });

  it('refuses to replace an object that changed after it was read, and the newer object survives', async () => {
    const object = parseObjectUri(path.join(root, 'lake', 'year=2024', 'part-0.csv'));
    await writeFile(object, 'id\n1\n');
    const head = (await lake.head(object))!;
    await writeFile(object, 'id\n1\n3\n');
    await utimes(object, new Date(), new Date(Date.now() + 5000));
    const rewritten = path.join(root, 'tmp', 'rewritten');
    await writeFile(rewritten, 'id\n');
    await assert.rejects(lake.replace(head, rewritten, head.props), { name: 'ConflictError', message: /changed since it was read/ });
    assert.equal(await readFile(object, 'utf8'), 'id\n1\n3\n');
    await assert.rejects(lake.download(head, path.join(root, 'tmp', 'x')), { name: 'ConflictError' });
  });

  it('has no versions to delete for a deleted file, and refuses a file that is there again', async () => {
    const object = parseObjectUri(path.join(root, 'lake', 'year=2024', 'part-9.csv'));
    assert.equal(await lake.deleteAllVersions(object), 0);
    await writeFile(object, 'id\n1\n');
    await assert.rejects(lake.deleteAllVersions(object), { name: 'ConflictError', message: /part-9\.csv exists again/ });
    assert.equal(await readFile(object, 'utf8'), 'id\n1\n');
  });

  it('lists every object in key order, hidden and underscore names included, as S3 does', async () => {
    for (const name of ['b.parquet', 'a.parquet', '_SUCCESS', '.a.parquet.crc']) await writeFile(path.join(root, 'lake', 'year=2024', name), 'x');
    const listed: string[] = [];
    for await (const o of lake.list(path.join(root, 'lake'))) listed.push(path.basename(o.uri));
    assert.deepEqual(listed, ['.a.parquet.crc', '_SUCCESS', 'a.parquet', 'b.parquet']);
  });

  it('lists nested folders in key order, with the size of each file', async () => {
    const table = path.join(root, 'nested');
    const expected: Array<{ key: string; size: number }> = [];
    for (const year of ['2023', '2024']) {
      for (const month of ['01', '02', '10', '11']) {
        for (const part of ['part-0.csv', 'part-1.csv']) {
          const key = `year=${year}/month=${month}/${part}`;
          const body = `id\n${key}\n`;
          await mkdir(path.join(table, path.dirname(key)), { recursive: true });
          await writeFile(path.join(table, key), body);
          expected.push({ key, size: Buffer.byteLength(body) });
        }
      }
    }
    await writeFile(path.join(table, 'year=2023', 'z.csv'), 'id\n');
    expected.splice(8, 0, { key: 'year=2023/z.csv', size: 3 });
    const listed: Array<{ key: string; size: number }> = [];
    for await (const o of lake.list(table)) listed.push({ key: path.relative(table, o.uri), size: o.size });
    assert.deepEqual(listed, expected);
  });
});

import assert from 'node:assert/strict';
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { listObjectResults } from '../../shared/records/objectResults';
import { enqueueMatches } from '../../shared/queue/deletionQueue';
import { ObjectStore } from '../../shared/ports/ObjectStore';
import { TestLake, hashTree, openLakeWith, runQueuedJob, withTestDuckDb } from '../support/localLake';

/** Four objects of ten people each; person p sits in part-(floor((p-1)/10)). */
const PARTS = [0, 1, 2, 3].map((n) => ({ name: `part-${n}.parquet`, ids: Array.from({ length: 10 }, (_, i) => n * 10 + i + 1) }));

/** Writes `ids` as a people object the way another tool would: to a file of its own, then a rename over the name. */
async function writePeople(file: string, ids: readonly number[]): Promise<void> {
  const staged = path.join(path.dirname(path.dirname(file)), 'writer', path.basename(file));
  await mkdir(path.dirname(staged), { recursive: true });
  await withTestDuckDb((connection) =>
    connection.run(`COPY (SELECT id::BIGINT AS id, 'person' || id || '@example.org' AS email FROM (VALUES ${ids.map((id) => `(${id})`).join(', ')}) v(id)) TO '${staged}' (FORMAT parquet)`),
  );
  await rename(staged, file);
}

/** The ids in one object, read by hyparquet (a reader that is not lethe's DuckDB), in file order. */
async function idsIn(file: string): Promise<number[]> {
  const { asyncBufferFromFile, parquetReadObjects } = await import('hyparquet');
  return (await parquetReadObjects({ file: await asyncBufferFromFile(file) })).map((row) => Number(row.id));
}

describe('another writer replaces objects while a local job runs', function () {
  this.timeout(90_000);
  let lake: TestLake;
  let people: string;

  before(async () => {
    lake = await openLakeWith(
      async (dir) => {
        people = path.join(dir, 'people');
        await mkdir(people);
        for (const part of PARTS) await writePeople(path.join(people, part.name), part.ids);
      },
      [{ id: 'people', location: './lake/people', format: 'parquet', columns: ['id'] }],
      { forgetConcurrency: 1 },
    );
  });
  after(() => lake?.cleanup());

  it('none of its writes is lost: the conditional replace refuses, the object is read again and rewritten from the new version', async () => {
    const lakePort = lake.runtime.ports.lake;
    const at = (n: number) => path.join(people, PARTS[n]!.name);
    // The writer's new versions: the old rows, two new people, and the erased person written again.
    const newer = { 0: [...PARTS[0]!.ids, 101, 102, 5], 1: [...PARTS[1]!.ids, 111, 15, 112] };
    const writes: string[] = [];
    const hooked: Pick<ObjectStore, 'head' | 'replace'> = { head: lakePort.head.bind(lakePort), replace: lakePort.replace.bind(lakePort) };
    // part-0 changes after the find found it, before the worker reads it.
    lakePort.head = async (uri) => {
      if (uri === at(0) && !writes.includes('part-0')) {
        writes.push('part-0');
        await writePeople(uri, newer[0]);
      }
      return hooked.head(uri);
    };
    // part-1 changes after the worker downloaded and rewrote it, just before its replace.
    lakePort.replace = async (version, fromFile, props, unchanged) => {
      if (version.uri === at(1) && !writes.includes('part-1')) {
        writes.push('part-1');
        await writePeople(version.uri, newer[1]);
      }
      return hooked.replace(version, fromFile, props, unchanged);
    };
    const untouched = Object.fromEntries(Object.entries(await hashTree(people)).filter(([name]) => name === PARTS[2]!.name || name === PARTS[3]!.name));
    try {
      await enqueueMatches(lake.runtime.ports.state, [{ match: { kind: 'simple', value: '5' } }, { match: { kind: 'simple', value: '15' } }]);
      const job = await runQueuedJob(lake);
      assert.deepEqual(writes, ['part-0', 'part-1'], 'both concurrent writes happened');
      assert.equal(job.status, 'COMPLETED', job.failure);
      assert.equal(job.counters.objectsUpdated, 2);
      // Two rows of person 5 and two of person 15: the old ones and the ones the writer added.
      assert.equal(job.counters.rowsDeleted, 4);

      // Expected from the writer's own lists: every row it wrote is there but the erased people.
      assert.deepEqual(await idsIn(at(0)), newer[0].filter((id) => id !== 5));
      assert.deepEqual(await idsIn(at(1)), newer[1].filter((id) => id !== 15));
      const hashes = await hashTree(people);
      for (const [name, hash] of Object.entries(untouched)) assert.equal(hashes[name], hash, `${name} holds no match and is left as it was`);

      // The refused replace is on record: part-1 took a second delivery, and its result names the version it rewrote.
      const results = await listObjectResults(lake.runtime.ports.state, job.id);
      const part1 = results.find((r) => r.object === at(1));
      assert.equal(part1?.outcome, 'updated');
      assert.equal(part1?.attempts, 2);
      assert.equal(part1?.rowsBefore, newer[1].length);
    } finally {
      lakePort.head = hooked.head;
      lakePort.replace = hooked.replace;
    }
  });
});

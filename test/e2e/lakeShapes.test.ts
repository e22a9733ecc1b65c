import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { approveJob } from '../../shared/job/jobCommands';
import { runJob } from '../../shared/job/runJob';
import { listJobEvents } from '../../shared/records/jobEvents';
import { reportKey } from '../../shared/records/stateKeys';
import { Match } from '../../shared/model/match';
import { enqueueMatches, listQueue } from '../../shared/queue/deletionQueue';
import { renderReportMarkdown } from '../../shared/report/renderReportMarkdown';
import { TestLake, filesContaining, hashTree, openLakeWith, readJobReport, runQueuedJob } from '../support/localLake';

const simple = (value: string): { match: Match } => ({ match: { kind: 'simple', value } });

/** The text lines of a file, as a reader that is not DuckDB sees them. */
async function lines(file: string): Promise<string[]> {
  return (await readFile(file, 'utf8')).split('\n').filter((line) => line !== '');
}

/** Rows of one Parquet file read by hyparquet (an independent reader), by its exact name. */
async function parquetIds(file: string): Promise<number[]> {
  const { asyncBufferFromFile, parquetReadObjects } = await import('hyparquet');
  const rows = await parquetReadObjects({ file: await asyncBufferFromFile(file) });
  return rows.map((row) => Number(row.id));
}

describe('whole jobs over the lake shapes lethe must read', function () {
  this.timeout(60_000);
  let lake: TestLake | undefined;
  afterEach(async () => {
    await lake?.cleanup();
    lake = undefined;
  });

  it('plain (uncompressed) JSON Lines and CSV: the matched rows go, every other line stays byte for byte', async () => {
    const people = ['{"id":1,"email":"a@x.org"}', '{"id":7,"email":"ann@x.org"}', '{"id":3,"email":"c@x.org"}'];
    const orders = ['order_id,customer_id', '1,7', '2,3', '3,1'];
    lake = await openLakeWith(
      async (dir) => {
        await mkdir(path.join(dir, 'people'));
        await mkdir(path.join(dir, 'orders'));
        await writeFile(path.join(dir, 'people', 'part-0.jsonl'), `${people.join('\n')}\n`);
        await writeFile(path.join(dir, 'orders', 'part-0.csv'), `${orders.join('\n')}\n`);
      },
      [
        { id: 'people', location: './lake/people', format: 'json', columns: ['id', 'email'] },
        { id: 'orders', location: './lake/orders', format: 'csv', columns: ['customer_id'] },
      ],
    );
    await enqueueMatches(lake.runtime.ports.state, [simple('7')]);
    const job = await runQueuedJob(lake);
    assert.equal(job.status, 'COMPLETED', job.failure);
    assert.deepEqual(await lines(path.join(lake.dir, 'lake/people/part-0.jsonl')), [people[0], people[2]]);
    assert.deepEqual(await lines(path.join(lake.dir, 'lake/orders/part-0.csv')), [orders[0], orders[2], orders[3]]);
  });

  it('verify accepts what lethe wrote: an emptied JSON Lines object, a column left all null, a nested column no line has', async () => {
    lake = await openLakeWith(
      async (dir) => {
        const write = async (part: string, content: string[]) => {
          await mkdir(path.join(dir, 'events', `part=${part}`), { recursive: true });
          await writeFile(path.join(dir, 'events', `part=${part}`, 'x.jsonl'), `${content.join('\n')}\n`);
        };
        await write('emptied', ['{"customer_id":7,"email":"ann@x.org","user":{"email":"ann@x.org"}}']);
        await write('nulls', ['{"customer_id":7,"email":"ann@x.org"}', '{"customer_id":8,"email":null}']);
        await write('nested', ['{"customer_id":9,"email":"b@x.org"}', '{"customer_id":10,"user":{"email":"ann@x.org"}}']);
        await mkdir(path.join(dir, 'alone'));
        await writeFile(path.join(dir, 'alone', 'x.jsonl'), '{"customer_id":7,"email":"ann@x.org"}\n');
      },
      // One query per folder, so each shape meets the verify on its own; "alone" is emptied whole.
      [
        { id: 'events', location: './lake/events', format: 'json', columns: ['customer_id', 'email', 'user.email'], partitionKeys: ['part'] },
        { id: 'alone', location: './lake/alone', format: 'json', columns: ['customer_id', 'email'] },
      ],
    );
    await enqueueMatches(lake.runtime.ports.state, [simple('7'), simple('ann@x.org')]);
    const job = await runQueuedJob(lake);
    assert.equal(job.status, 'COMPLETED', JSON.stringify((await readJobReport(lake, job.id)).objects.map((o) => o.error)));
    const events = path.join(lake.dir, 'lake/events');
    assert.deepEqual(await lines(path.join(events, 'part=emptied/x.jsonl')), []);
    assert.deepEqual(await lines(path.join(events, 'part=nulls/x.jsonl')), ['{"customer_id":8,"email":null}']);
    assert.deepEqual(await lines(path.join(events, 'part=nested/x.jsonl')), ['{"customer_id":9,"email":"b@x.org"}']);
    assert.deepEqual(await lines(path.join(lake.dir, 'lake/alone/x.jsonl')), []);
    const report = await readJobReport(lake, job.id);
    assert.deepEqual(report.verification, { ran: true, objectsWithMatches: [] });
  });

  it('reads objects whose names look like globs by their exact name, in the find, the rewrite and the verify', async () => {
    const files: Record<string, number[]> = {
      'part[1].parquet': [1, 7, 2],
      'part1.parquet': [3, 4],
      'p*x.parquet': [7, 5],
      'pax.parquet': [6],
      'q?.parquet': [7],
      'qa.parquet': [8],
      'r]{a,b}.parquet': [7, 9],
    };
    lake = await openLakeWith(
      async (dir, run) => {
        await mkdir(path.join(dir, 'people'));
        for (const [name, ids] of Object.entries(files)) {
          const file = path.join(dir, 'people', name).replace(/'/g, "''");
          await run(`COPY (SELECT unnest([${ids.join(', ')}])::BIGINT AS id) TO '${file}' (FORMAT parquet)`);
        }
        // Text formats take the same path: a folder and a name that glob onto their neighbours.
        for (const folder of ['k=[1]', 'k=1']) {
          await mkdir(path.join(dir, 'events', folder), { recursive: true });
          await writeFile(path.join(dir, 'events', folder, 'e[0].jsonl'), '{"id":7}\n{"id":1}\n');
          await writeFile(path.join(dir, 'events', folder, 'e0.jsonl'), '{"id":2}\n');
        }
      },
      [
        { id: 'people', location: './lake/people', format: 'parquet', columns: ['id'] },
        { id: 'events', location: './lake/events', format: 'json', columns: ['id'] },
      ],
    );
    await enqueueMatches(lake.runtime.ports.state, [simple('7')]);
    const job = await runQueuedJob(lake);
    assert.equal(job.status, 'COMPLETED', job.failure);
    for (const [name, ids] of Object.entries(files)) {
      assert.deepEqual(await parquetIds(path.join(lake.dir, 'lake/people', name)), ids.filter((id) => id !== 7), name);
    }
    for (const folder of ['k=[1]', 'k=1']) {
      assert.deepEqual(await lines(path.join(lake.dir, 'lake/events', folder, 'e[0].jsonl')), ['{"id":1}'], folder);
      assert.deepEqual(await lines(path.join(lake.dir, 'lake/events', folder, 'e0.jsonl')), ['{"id":2}'], folder);
    }
    assert.equal(job.counters.objectsUpdated, 6);
  });

  it('an empty mapper folder has nothing to erase: the job goes on and completes', async () => {
    lake = await openLakeWith(
      async (dir) => {
        await mkdir(path.join(dir, 'empty'));
        await writeFile(path.join(dir, 'empty', '_SUCCESS'), '');
        await mkdir(path.join(dir, 'people'));
        await writeFile(path.join(dir, 'people', 'part-0.jsonl'), '{"id":7}\n{"id":8}\n');
      },
      [
        { id: 'empty', location: './lake/empty', format: 'parquet', columns: ['id'] },
        { id: 'people', location: './lake/people', format: 'json', columns: ['id'] },
      ],
    );
    // 8 is aimed at the empty table only: it holds no row of anyone, so that request is done too.
    await enqueueMatches(lake.runtime.ports.state, [simple('7'), { ...simple('8'), mappers: ['empty'] }]);
    const job = await runQueuedJob(lake);
    assert.equal(job.status, 'COMPLETED', job.failure);
    assert.deepEqual(await lines(path.join(lake.dir, 'lake/people/part-0.jsonl')), ['{"id":8}']);
    assert.equal((await listQueue(lake.runtime.ports.state)).total, 0);
    const report = await readJobReport(lake, job.id);
    assert.deepEqual(report.mappers.find((m) => m.id === 'empty')?.coverage, { objects: 1, read: 0, notData: 1 });
  });

  it('verify after ignoreObjectNotFound skipped the last object of a folder: COMPLETED, the object counted missing', async () => {
    lake = await openLakeWith(
      async (dir) => {
        await mkdir(path.join(dir, 'people'));
        await writeFile(path.join(dir, 'people', 'part-0.jsonl'), '{"id":7}\n');
      },
      [{ id: 'people', location: './lake/people', format: 'json', columns: ['id'], ignoreObjectNotFound: true }],
      { requireApproval: true },
    );
    await enqueueMatches(lake.runtime.ports.state, [simple('7')]);
    const waiting = await runQueuedJob(lake);
    assert.equal(waiting.status, 'AWAITING_APPROVAL', waiting.failure);
    await rm(path.join(lake.dir, 'lake/people/part-0.jsonl'));
    await approveJob(lake.runtime.ports, waiting.id, 'approver');
    const job = await runJob(lake.runtime.ports, waiting.id, { hmacKey: lake.hmacKey, pollIntervalMs: 50 });
    assert.equal(job.status, 'COMPLETED', job.failure);
    assert.equal(job.counters.objectsMissing, 1);
  });

  it('a CSV whose late row breaks the sampled type: types come from every row, and no value of that row reaches job records', async () => {
    const rows = ['customer_id,email', ...Array.from({ length: 30_000 }, (_, i) => `${i},c${i}@x.org`), 'secret-ann,ann@secret.org'];
    lake = await openLakeWith(
      async (dir) => {
        await mkdir(path.join(dir, 'orders'));
        await writeFile(path.join(dir, 'orders', 'part-0.csv'), `${rows.join('\n')}\n`);
      },
      [{ id: 'orders', location: './lake/orders', format: 'csv', columns: ['customer_id'] }],
    );
    await enqueueMatches(lake.runtime.ports.state, [simple('17')]);
    const job = await runQueuedJob(lake);
    assert.equal(job.status, 'COMPLETED', job.failure);
    assert.deepEqual(await lines(path.join(lake.dir, 'lake/orders/part-0.csv')), rows.filter((row) => !row.startsWith('17,')));
    for (const value of ['secret-ann', 'ann@secret.org']) assert.deepEqual(await filesContaining(lake.config.stateDir, value), [], value);
  });

  for (const format of ['csv', 'json'] as const) {
    it(`a ${format} object the catalog did not sample breaks the column's type: FIND_FAILED naming the mapper, no value of it in job records`, async () => {
      lake = await openLakeWith(
        async (dir) => {
          await mkdir(path.join(dir, 'orders'));
          // The catalog learns types from the first 20 objects; the 21st holds a value no BIGINT can.
          for (let i = 0; i < 21; i++) {
            const id = i === 20 ? '"secret-ann"' : String(i);
            const text = format === 'csv' ? `customer_id,email\n${id.replace(/"/g, '')},c${i}@x.org\n` : `{"customer_id":${id},"email":"c${i}@x.org"}\n`;
            await writeFile(path.join(dir, 'orders', `part-${String(i).padStart(2, '0')}.${format}`), text);
          }
        },
        [{ id: 'orders', location: './lake/orders', format, columns: ['customer_id'] }],
      );
      const before = await hashTree(path.join(lake.dir, 'lake'));
      await enqueueMatches(lake.runtime.ports.state, [simple('3')]);
      const job = await runQueuedJob(lake);
      assert.equal(job.status, 'FIND_FAILED');
      assert.match(job.failure ?? '', /mapper "orders".*find query failed/);
      assert.deepEqual(await filesContaining(lake.config.stateDir, 'secret-ann'), []);
      assert.deepEqual(await hashTree(path.join(lake.dir, 'lake')), before);
    });
  }

  for (const [kind, files] of [
    ['Delta', { '_delta_log/00000000000000000000.json': '{}', 'part-0.parquet': null }],
    ['Iceberg', { 'metadata/v1.metadata.json': '{}', 'data/part-0.parquet': null }],
    ['Hudi', { '.hoodie/hoodie.properties': 'hoodie.table.name=t', 'part-0.parquet': null }],
  ] as const) {
    it(`refuses a location holding a ${kind} table before anything changes`, async () => {
      lake = await openLakeWith(
        async (dir, run) => {
          for (const [name, content] of Object.entries(files)) {
            const file = path.join(dir, 'table', name);
            await mkdir(path.dirname(file), { recursive: true });
            if (content === null) await run(`COPY (SELECT 7::BIGINT AS id) TO '${file}' (FORMAT parquet)`);
            else await writeFile(file, content);
          }
        },
        [{ id: 'table', location: './lake/table', format: 'parquet', columns: ['id'] }],
      );
      const before = await hashTree(path.join(lake.dir, 'lake'));
      await enqueueMatches(lake.runtime.ports.state, [simple('7')]);
      const job = await runQueuedJob(lake);
      assert.equal(job.status, 'FIND_FAILED');
      assert.match(job.failure ?? '', new RegExp(`mapper "table": .*holds a ${kind} table.*this release does not erase inside Delta, Iceberg or Hudi tables`));
      assert.deepEqual(await hashTree(path.join(lake.dir, 'lake')), before);
    });
  }

  it('accounts for every object under the location: N objects, N read, names starting with _ or . are not data', async () => {
    lake = await openLakeWith(
      async (dir) => {
        await mkdir(path.join(dir, 'people', 'year=2024', '_temporary'), { recursive: true });
        await writeFile(path.join(dir, 'people', 'year=2024', 'part-0.jsonl'), '{"id":7}\n{"id":8}\n');
        await writeFile(path.join(dir, 'people', 'year=2024', 'part-1.jsonl'), '{"id":9}\n');
        await writeFile(path.join(dir, 'people', 'year=2024', '.part-0.jsonl.crc'), 'crc');
        await writeFile(path.join(dir, 'people', 'year=2024', '_temporary', 'attempt-0.jsonl'), '{"id":7}\n');
        await writeFile(path.join(dir, 'people', '_SUCCESS'), '');
      },
      [{ id: 'people', location: './lake/people', format: 'json', columns: ['id'] }],
    );
    await enqueueMatches(lake.runtime.ports.state, [simple('7')]);
    const job = await runQueuedJob(lake);
    assert.equal(job.status, 'COMPLETED', job.failure);
    const report = await readJobReport(lake, job.id);
    assert.deepEqual(report.mappers[0]?.coverage, { objects: 5, read: 2, notData: 3 });
    const html = await readFile(lake.runtime.ports.state.describe(reportKey(job.id, 'html')), 'utf8');
    assert.match(html, /5 objects under the location, 2 read, 3 not data/);
    assert.match(renderReportMarkdown(report), /5 objects under the location, 2 read, 3 not data/);
    const proofs = (await listJobEvents(lake.runtime.ports.state, job.id)).filter((e) => e.type === 'CoverageProven').map((e) => e.data);
    assert.deepEqual(proofs, [1, 2].map(() => ({ mapperId: 'people', objects: 5, read: 2, notData: 3 })), 'proven by the find and again by the verify');
  });
});

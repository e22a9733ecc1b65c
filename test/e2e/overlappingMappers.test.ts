import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { forgetObject } from '../../shared/forget/forgetObject';
import { openMatchSession } from '../../shared/forget/matchSession';
import { readJobPlan } from '../../shared/records/jobPlan';
import { reportKey } from '../../shared/records/stateKeys';
import { runJob } from '../../shared/job/runJob';
import { startJob } from '../../shared/job/startJob';
import { enqueueMatches } from '../../shared/queue/deletionQueue';
import { DeletionReport } from '../../shared/report/deletionReport';
import { Row, TestLake, hashTree, openLocalLake, readTable, withTestDuckDb } from '../support/localLake';

/**
 * One folder, two mappers over it: by-id compares `id`, by-email compares `email`. Person 3 is asked
 * for by id, persons 5 and 15 by email; part-0 holds persons 3 and 5, part-1 holds person 15.
 */
async function buildSharedFolderLake(dir: string, settings: Record<string, unknown> = {}): Promise<string> {
  const folder = path.join(dir, 'lake', 'people');
  await mkdir(folder, { recursive: true });
  await withTestDuckDb(async (connection) => {
    for (const [part, first] of [[0, 1], [1, 11]] as const) {
      await connection.run(`COPY (SELECT i::BIGINT AS id, 'person' || i || '@example.org' AS email, 'note ' || i AS note FROM range(${first}, ${first + 10}) r(i))
        TO '${path.join(folder, `part-${part}.parquet`)}' (FORMAT parquet)`);
    }
  });
  const config = {
    stateDir: './state',
    dataMappers: [
      { id: 'by-id', location: './lake/people', format: 'parquet', columns: ['id'] },
      { id: 'by-email', location: './lake/people', format: 'parquet', columns: ['email'] },
    ],
    settings: { forgetConcurrency: 2, duckdbMemoryLimit: '256MB', ...settings },
  };
  const configPath = path.join(dir, 'lethe.yaml');
  await writeFile(configPath, JSON.stringify(config, null, 2));
  return configPath;
}

describe('two mappers over the same objects', function () {
  this.timeout(60_000);
  let opened: TestLake | undefined;
  const open = async (settings: Record<string, unknown> = {}): Promise<TestLake> => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lethe-overlap-'));
    opened = await openLocalLake(dir, await buildSharedFolderLake(dir, settings));
    return opened;
  };
  afterEach(async () => {
    await opened?.cleanup();
    opened = undefined;
  });

  it('rewrites each object once with the matches of every mapper covering it, and counts per object', async () => {
    const lake = await open();
    const people = path.join(lake.dir, 'lake', 'people');
    const before = await readTable(people, 'parquet');
    await enqueueMatches(lake.runtime.ports.state, [
      { match: { kind: 'simple', value: '3' }, mappers: ['by-id'] },
      { match: { kind: 'simple', value: 'person5@example.org' } },
      { match: { kind: 'simple', value: 'person15@example.org' } },
    ]);
    const started = await startJob(lake.runtime.ports.state, lake.config, 'test');
    const job = await runJob(lake.runtime.ports, started.id, { hmacKey: lake.hmacKey, pollIntervalMs: 50 });
    assert.equal(job.status, 'COMPLETED', job.failure);

    const erased = new Set(['3', '5', '15']);
    const after = await readTable(people, 'parquet');
    assert.deepEqual(after, before.filter((row: Row) => !erased.has(String(row.id))), 'persons 3, 5 and 15 gone; every bystander identical');
    assert.equal(before.length - after.length, 3);

    const report = JSON.parse(await readFile(lake.runtime.ports.state.describe(reportKey(job.id, 'json')), 'utf8')) as DeletionReport;
    assert.deepEqual(report.totals, { objectsFound: 2, objectsUpdated: 2, objectsUnchanged: 0, objectsMissing: 0, objectsFailed: 0, rowsDeleted: 3, versionsDeleted: 0 });
    assert.deepEqual(
      report.objects.map((o) => [path.basename(o.object), o.mapperIds, o.outcome, o.rowsDeleted]),
      [
        ['part-0.parquet', ['by-email', 'by-id'], 'updated', 2],
        ['part-1.parquet', ['by-email'], 'updated', 1],
      ],
    );
    assert.deepEqual(
      report.mappers.map((m) => [m.id, m.objects]),
      [
        ['by-id', 1],
        ['by-email', 2],
      ],
    );
  });

  it('fails an object whose mappers disagree on its format, naming them, and leaves it as it was', async () => {
    const lake = await open({ requireApproval: true });
    await enqueueMatches(lake.runtime.ports.state, [{ match: { kind: 'simple', value: '3' }, mappers: ['by-id'] }, { match: { kind: 'simple', value: 'person5@example.org' } }]);
    const started = await startJob(lake.runtime.ports.state, lake.config, 'test');
    const waiting = await runJob(lake.runtime.ports, started.id, { hmacKey: lake.hmacKey, pollIntervalMs: 50 });
    const plan = (await readJobPlan(lake.runtime.ports.state, waiting.id))!;
    assert.deepEqual(plan.objects.map((o) => [path.basename(o.object), o.mapperIds]), [['part-0.parquet', ['by-email', 'by-id']]]);
    const [byId, byEmail] = lake.config.dataMappers;
    const object = plan.objects[0]!.object;
    const before = await hashTree(path.dirname(object));
    const session = await openMatchSession(lake.runtime.workerOptions.matchTables, waiting.id, ['by-email', 'by-id']);
    try {
      const message = { jobId: waiting.id, object, mapperIds: ['by-email', 'by-id'] };
      await assert.rejects(forgetObject(lake.runtime.ports, message, [byId!, { ...byEmail!, format: 'csv' }], session, 1), {
        name: 'InputError',
        message: /part-0\.parquet: mappers "by-id" \(parquet\), "by-email" \(csv\) cover this object with different formats/,
      });
    } finally {
      session.connection.closeSync();
    }
    assert.deepEqual(await hashTree(path.dirname(object)), before);
  });
});

import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Match } from '../../shared/model/match';
import { hmacMatch } from '../../shared/privacy/hmacMatch';
import { enqueueMatches } from '../../shared/queue/deletionQueue';
import {
  FixtureRow,
  MatrixCompression,
  MatrixFormat,
  MatrixLayout,
  MatrixObject,
  buildFormatMatrixLake,
  canonicalParquetRow,
  expectedParquetRow,
  extensionOf,
  identifierColumns,
  matrixConfig,
  matrixMatches,
  matrixRows,
  writeMatrixObject,
} from '../support/formatMatrixLake';
import { TestLake, hashTree, openLocalLake, readJobReport, runQueuedJob } from '../support/localLake';
import { readWithHyparquet } from '../support/rewriteFixtures';

const FORMATS: MatrixFormat[] = ['parquet', 'json', 'csv'];
const COMPRESSIONS: MatrixCompression[] = ['plain', 'gzip'];
const LAYOUTS: MatrixLayout[] = ['unpartitioned', 'one partition key', 'two partition keys'];

/** What a user expects of a job: the aimed-at rows gone, every other row and untouched object as it was. */
interface Expectation {
  objects: MatrixObject[];
  format: MatrixFormat;
  /** Rows the matches aim at, by row number. */
  deleted: ReadonlySet<number>;
  /** Each match, and the columns of `mapperId` the report must say it was applied to. */
  matches: { match: Match; columns: string[] }[];
  mapperId: string;
  /** Per mapper: objects under its location, objects read, files that are not data by rule. */
  coverage: Record<string, { objects: number; read: number; notData: number }>;
  /** Files beside the objects that must stay as they are (not data by rule). */
  notData?: string[];
}

/**
 * Every format x plain/gzip x partitioning, each through a whole local job (the embedded default, as
 * the CLI runs it), plus an object whose every row matches and mappers over empty folders. Expected
 * survivors are the fixture's own row list, compared with what an independent reader sees: hyparquet
 * for Parquet, the decompressed text itself for JSON Lines and CSV.
 */
describe('the format matrix: every format, compression and partitioning through a whole local job', function () {
  this.timeout(120_000);
  let root: string;
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'lethe-matrix-'));
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
  });
  after(async () => {
    connection.closeSync();
    instance.closeSync();
    await rm(root, { recursive: true, force: true });
  });

  for (const format of FORMATS) {
    for (const compression of COMPRESSIONS) {
      for (const layout of LAYOUTS) {
        it(`${format}, ${compression}, ${layout}: each identifier type's match deletes its row; every other row, and each object without a match, stays as it was`, async () => {
          const dir = path.join(root, `${format}-${compression}-${layout.replace(/ /g, '-')}`);
          const lake = await buildFormatMatrixLake(connection, dir, { format, compression, layout });
          const matches = matrixMatches(format);
          assert.deepEqual(
            matches.filter((m) => m.match.kind === 'simple').map((m) => m.columns[0]),
            identifierColumns(format).map((c) => c.path),
            'one simple match per identifier column',
          );
          const aimed = matches.flatMap((m) => (m.row === null ? [] : [m.row]));
          assert.equal(new Set(aimed).size, aimed.length, 'each match aimed at a row of its own, so each proves its own type');
          await expectJob(await openLocalLake(dir, lake.configPath), lake.lake, {
            objects: lake.objects,
            format,
            deleted: new Set(aimed),
            matches,
            mapperId: 'table',
            coverage: { table: { objects: 9, read: 4, notData: 5 } },
            notData: lake.notData,
          });
        });
      }
    }
  }

  for (const format of FORMATS) {
    it(`${format}: an object whose every row matches (plain and gzip) is left empty, readable, and clean to a second job`, async () => {
      const dir = path.join(root, `${format}-every-row`);
      const lake = path.join(dir, 'lake', 'table');
      const objects = [
        await writeMatrixObject(connection, path.join(lake, `all gone${extensionOf(format, 'plain')}`), format, 'plain', matrixRows(format, 1, 3)),
        await writeMatrixObject(connection, path.join(lake, `all gone too${extensionOf(format, 'gzip')}`), format, 'gzip', matrixRows(format, 4, 6)),
        await writeMatrixObject(connection, path.join(lake, `bystanders${extensionOf(format, 'plain')}`), format, 'plain', matrixRows(format, 7, 9)),
      ];
      const configPath = path.join(dir, 'lethe.yaml');
      await writeFile(configPath, JSON.stringify(matrixConfig([{ id: 'table', location: './lake/table', format }])));
      // Each of rows 1-6 is aimed at through a different column (never the flag: "false" is in every row).
      const columns = identifierColumns(format).filter((c) => c.path !== 'flag');
      const rows = objects.flatMap((o) => o.rows).slice(0, 6);
      const matches = rows.map((row, i) => {
        const column = columns[i % columns.length]!.path;
        return { match: { kind: 'simple', value: row.values[column]! } as const, columns: [column] };
      });
      await expectJob(await openLocalLake(dir, configPath), lake, { objects, format, deleted: new Set(rows.map((r) => r.n)), matches, mapperId: 'table', coverage: { table: { objects: 3, read: 3, notData: 0 } } });
    });
  }

  it('a mapper over an empty folder (or one holding only _SUCCESS) has nothing to erase: the job completes over the other mappers', async () => {
    const dir = path.join(root, 'empty-folders');
    const people = await writeMatrixObject(connection, path.join(dir, 'lake', 'people', 'part 0.parquet'), 'parquet', 'plain', matrixRows('parquet', 1, 4));
    for (const name of ['empty_parquet', 'empty_json', 'empty_csv']) await mkdir(path.join(dir, 'lake', name), { recursive: true });
    await writeFile(path.join(dir, 'lake', 'empty_json', '_SUCCESS'), '');
    const configPath = path.join(dir, 'lethe.yaml');
    await writeFile(
      configPath,
      JSON.stringify(
        matrixConfig([
          { id: 'people', location: './lake/people', format: 'parquet' },
          { id: 'empty_parquet', location: './lake/empty_parquet', format: 'parquet' },
          { id: 'empty_json', location: './lake/empty_json', format: 'json' },
          { id: 'empty_csv', location: './lake/empty_csv', format: 'csv', partitionKeys: ['year'] },
        ]),
      ),
    );
    const target = people.rows[1]!;
    await expectJob(await openLocalLake(dir, configPath), path.join(dir, 'lake'), {
      objects: [people],
      format: 'parquet',
      deleted: new Set([target.n]),
      matches: [{ match: { kind: 'simple', value: target.values.s! }, columns: ['s'] }],
      mapperId: 'people',
      coverage: {
        people: { objects: 1, read: 1, notData: 0 },
        empty_parquet: { objects: 0, read: 0, notData: 0 },
        empty_json: { objects: 1, read: 0, notData: 1 },
        empty_csv: { objects: 0, read: 0, notData: 0 },
      },
    });
  });
});

/**
 * Runs one job over `matches` and checks it as a user would, then runs a second job over the same
 * matches: it must find nothing and change nothing. Closes the lake's runtime and removes its folder.
 */
async function expectJob(lake: TestLake, lakeFolder: string, expected: Expectation): Promise<void> {
  try {
    const notDataBefore = await Promise.all((expected.notData ?? []).map((file) => readFile(file)));
    await enqueueMatches(lake.runtime.ports.state, expected.matches.map(({ match }) => ({ match })));
    const job = await runQueuedJob(lake);
    assert.equal(job.status, 'COMPLETED', job.failure);

    const touched = expected.objects.filter((o) => o.rows.some((r) => expected.deleted.has(r.n)));
    for (const object of expected.objects) {
      const survivors = object.rows.filter((r) => !expected.deleted.has(r.n));
      if (survivors.length === object.rows.length) assert.ok((await readFile(object.file)).equals(object.bytes), `${object.file}: no match, so byte-identical`);
      else await expectSurvivors(object, expected.format, survivors);
    }
    for (const [i, file] of (expected.notData ?? []).entries()) assert.ok((await readFile(file)).equals(notDataBefore[i]!), `${file}: not data, so untouched`);

    const report = await readJobReport(lake, job.id);
    assert.equal(report.job.status, 'COMPLETED');
    assert.deepEqual(
      report.objects.map((o) => ({ object: o.object, outcome: o.outcome, rowsBefore: o.rowsBefore, rowsDeleted: o.rowsDeleted, rowsAfter: o.rowsAfter })),
      touched
        .map((o) => {
          const deleted = o.rows.filter((r) => expected.deleted.has(r.n)).length;
          return { object: o.file, outcome: 'updated', rowsBefore: o.rows.length, rowsDeleted: deleted, rowsAfter: o.rows.length - deleted };
        })
        .sort((a, b) => (a.object < b.object ? -1 : 1)),
    );
    assert.equal(report.totals.rowsDeleted, expected.deleted.size);
    assert.equal(report.totals.objectsFound, touched.length);
    assert.equal(report.totals.objectsUpdated, touched.length);
    assert.equal(report.totals.objectsFailed, 0);
    assert.equal(report.matchIds.count, expected.matches.length);
    assert.deepEqual(Object.fromEntries(report.mappers.map((m) => [m.id, m.coverage])), expected.coverage, 'N objects under each location, N read, N not data');
    for (const { match, columns } of expected.matches) {
      const account = report.matches.find((m) => m.matchHash === hmacMatch(lake.hmacKey, match));
      const applied = account?.appliedTo.find((a) => a.mapperId === expected.mapperId)?.columns ?? [];
      assert.deepEqual(columns.filter((c) => !applied.includes(c)), [], `the report says the match aimed at ${columns.join(', ')} was applied there`);
    }
    assert.deepEqual(report.verification, { ran: true, objectsWithMatches: [] });

    const afterFirst = await hashTree(lakeFolder);
    await enqueueMatches(lake.runtime.ports.state, expected.matches.map(({ match }) => ({ match })));
    const second = await runQueuedJob(lake);
    assert.equal(second.status, 'COMPLETED', second.failure);
    assert.equal(second.counters.objectsFound, 0, 'a second job over the same matches finds nothing');
    assert.deepEqual(await hashTree(lakeFolder), afterFirst, 'and changes nothing');
  } finally {
    await lake.cleanup();
  }
}

/** The object holds exactly `survivors`, read by a reader that is not lethe's, in the same encoding as before. */
async function expectSurvivors(object: MatrixObject, format: MatrixFormat, survivors: FixtureRow[]): Promise<void> {
  if (format === 'parquet') {
    const read = await readWithHyparquet(object.file);
    assert.deepStrictEqual(read.rows.map(canonicalParquetRow), survivors.map(expectedParquetRow), `${object.file}: surviving rows`);
    // A file with no row left has no row group, so no codec to carry.
    const codecs = survivors.length === 0 ? [] : [object.gzip ? 'GZIP' : 'UNCOMPRESSED'];
    assert.deepEqual([...new Set(read.codecs)], codecs, `${object.file}: codec carried`);
    return;
  }
  const bytes = await readFile(object.file);
  assert.equal(bytes[0] === 0x1f && bytes[1] === 0x8b, object.gzip, `${object.file}: ${object.gzip ? 'still gzip' : 'still plain'}`);
  const text = (object.gzip ? gunzipSync(bytes) : bytes).toString('utf8');
  // Surviving records byte for byte, in their order; a CSV keeps its header even when no row is left.
  assert.equal(text, object.header + survivors.map((r) => object.records.get(r.n)!).join(''), `${object.file}: surviving records`);
}

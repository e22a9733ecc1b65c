import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { enqueueMatches } from '../../shared/queue/deletionQueue';
import { parseMatchFile } from '../../shared/queue/parseMatchFile';
import { Row, TestLake, openLocalLake, readJobReport, readTable, runQueuedJob, withTestDuckDb } from '../support/localLake';

/**
 * One Parquet table whose rows each belong to a different person, with identifiers of every type
 * a cast could round: BIGINT beyond 2^53, FLOAT, DOUBLE, TIMESTAMP_S, TIMESTAMP_MS, TIMESTAMP,
 * DATE and DECIMAL. Person `n` has id n; the other columns hold values no match names unless said.
 */
async function openPeopleLake(): Promise<TestLake> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lethe-exact-'));
  const people = path.join(dir, 'lake', 'people');
  await mkdir(people, { recursive: true });
  await withTestDuckDb(async (connection) => {
    await connection.run(`CREATE TABLE people (id BIGINT, f FLOAT, d DOUBLE, ts_s TIMESTAMP_S, ts_ms TIMESTAMP_MS, ts_us TIMESTAMP, day DATE, amount DECIMAL(10,2))`);
    await connection.run(`INSERT INTO people VALUES
      (9007199254740992, 1, 1, '2001-01-01 00:00:01', '2001-01-01 00:00:00.001', '2001-01-01 00:00:00.000001', '2001-01-01', 1.00),
      (9007199254740993, 2, 2, '2001-01-01 00:00:02', '2001-01-01 00:00:00.002', '2001-01-01 00:00:00.000002', '2001-01-02', 2.00),
      (17, 3, 3, '2001-01-01 00:00:03', '2001-01-01 00:00:00.003', '2001-01-01 00:00:00.000003', '2001-01-03', 3.00),
      (101, 16777216, 4, '2001-01-01 00:00:04', '2001-01-01 00:00:00.004', '2001-01-01 00:00:00.000004', '2001-01-04', 4.00),
      (102, 5, 9007199254740992, '2001-01-01 00:00:05', '2001-01-01 00:00:00.005', '2001-01-01 00:00:00.000005', '2001-01-05', 5.00),
      (103, 6, 6, '2024-01-01 10:00:01', '2001-01-01 00:00:00.006', '2001-01-01 00:00:00.000006', '2001-01-06', 6.00),
      (104, 7, 7, '2001-01-01 00:00:07', '2024-01-01 10:00:00.124', '2001-01-01 00:00:00.000007', '2001-01-07', 7.00),
      (105, 8, 8, '2001-01-01 00:00:08', '2024-01-01 10:00:00.123', '2001-01-01 00:00:00.000008', '2001-01-08', 8.00),
      (106, 9, 9, '2001-01-01 00:00:09', '2001-01-01 00:00:00.009', '2001-01-01 00:00:00.000009', '2001-01-09', 12.51),
      (107, 10, 10, '2001-01-01 00:00:10', '2001-01-01 00:00:00.010', '2001-01-01 00:00:00.000010', '2024-01-01', 10.00)`);
    await connection.run(`COPY people TO '${path.join(people, 'part-0.parquet')}' (FORMAT parquet)`);
  });
  const config = {
    stateDir: './state',
    dataMappers: [{ id: 'people', location: './lake/people', format: 'parquet', columns: ['id', 'f', 'd', 'ts_s', 'ts_ms', 'ts_us', 'day', 'amount'] }],
    settings: { queryConcurrency: 1, forgetConcurrency: 1, duckdbMemoryLimit: '256MB' },
  };
  const configPath = path.join(dir, 'lethe.yaml');
  await writeFile(configPath, JSON.stringify(config, null, 2));
  return openLocalLake(dir, configPath);
}

describe('a value matches only what its column holds exactly: the neighbour\'s row survives', function () {
  let lake: TestLake;
  let before: Row[];
  const table = () => readTable(path.join(lake.dir, 'lake', 'people'), 'parquet');
  beforeEach(async () => {
    lake = await openPeopleLake();
    before = await table();
    assert.equal(before.length, 10);
  });
  afterEach(async () => {
    await lake.cleanup();
  });

  it('reads an unquoted number beyond 2^53 in a jsonl match file with its exact digits', async () => {
    const items = parseMatchFile('9007199254740993\n{"match": 9007199254740993, "mappers": ["people"]}\n', 'jsonl', 'ids.jsonl');
    await enqueueMatches(lake.runtime.ports.state, items);
    const job = await runQueuedJob(lake);
    assert.equal(job.status, 'COMPLETED', job.failure);
    const after = await table();
    assert.deepEqual(after.map((r) => r.id), before.map((r) => r.id).filter((id) => id !== '9007199254740993'));
    assert.deepEqual(after, before.filter((r) => r.id !== '9007199254740993'), 'every other row, 9007199254740992 included, is unchanged');
  });

  it('never rounds a value onto another person: FLOAT, DOUBLE, TIMESTAMP_S and _MS, DECIMAL, DATE; 17.0 is person 17', async () => {
    const values = ['16777217', '2024-01-01 10:00:00.5', '2024-01-01 10:00:00.1235', '12.505', '2024-01-01 12:00:00', '17.0'];
    await enqueueMatches(lake.runtime.ports.state, [...values.map((value) => ({ match: { kind: 'simple' as const, value } })), { match: { kind: 'simple', value: '9007199254740993' }, mappers: ['people'] }]);
    const job = await runQueuedJob(lake);
    const after = await table();
    // By hand: 17.0 is person 17 (an integer column); 9007199254740993 is person 9007199254740993 by id,
    // never person 102 by the DOUBLE 9007199254740992; every other value names nobody here exactly.
    const erased = ['17', '9007199254740993'];
    assert.deepEqual(after, before.filter((r) => !erased.includes(String(r.id))));
    const report = await readJobReport(lake, job.id);
    const notApplied = report.matches.filter((m) => m.appliedTo.length === 0);
    assert.equal(notApplied.length, 1, 'only "12.505" fits no column exactly (ts_us holds .1235 and .5, id holds 16777217)');
    assert.match(notApplied[0]!.notApplied[0]!.reason, /no column holds the value exactly: .*"amount" \(decimal\(10,2\)\)/);
    assert.equal(job.status, 'UNAPPLIED_MATCHES');
  });
});

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { closeDuckDb, openDuckDb } from '../../../shared/duckdb/openDuckDb';
import { loadMatchTables } from '../../../shared/duckdb/matchTables';
import { quoteLiteral } from '../../../shared/duckdb/sqlText';
import { MatchColumnSet } from '../../../shared/ports/QueryExecutor';
import { verifyRewrite } from '../../../shared/rewrite/verifyRewrite';
import { parseObjectUri } from '../../../shared/model/identifiers';

const ID_SET: MatchColumnSet = { key: 'id', columns: [{ configured: 'id', path: ['id'], type: { kind: 'int', bits: 64, signed: true } }] };
const COLUMNS = [
  { name: 'id', type: 'BIGINT' },
  { name: 'name', type: 'VARCHAR' },
];

describe('verifyRewrite', () => {
  let dir: string;
  let duckdb: Awaited<ReturnType<typeof openDuckDb>>;
  let output: string;
  const check = () => ({ outputRelation: `read_parquet(${quoteLiteral(output)})`, matchSets: [ID_SET], context: { mapperId: 'people', object: parseObjectUri('s3://lake/people/part-0.parquet') } });

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lethe-verify-'));
    duckdb = await openDuckDb({ memoryLimit: '256MB', threads: 1, tempDirectory: path.join(dir, 'duckdb') });
    output = path.join(dir, 'out.parquet');
    // An output that still holds the match 2 among 3 rows.
    await duckdb.connection.run(`COPY (SELECT * FROM (VALUES (1::BIGINT, 'a'), (2, 'b'), (3, 'c')) v(id, name)) TO ${quoteLiteral(output)} (FORMAT parquet)`);
    await loadMatchTables(duckdb.connection, [ID_SET], [{ match_columns: 'id', values: ['2'] }]);
  });
  after(async () => {
    closeDuckDb(duckdb);
    await rm(dir, { recursive: true, force: true });
  });

  it('passes an output whose rows, columns and matches are as expected', async () => {
    await loadMatchTables(duckdb.connection, [ID_SET], [{ match_columns: 'id', values: ['9'] }]);
    try {
      await verifyRewrite(duckdb.connection, { ...check(), expectedColumns: COLUMNS, expectedRows: 3 });
    } finally {
      await loadMatchTables(duckdb.connection, [ID_SET], [{ match_columns: 'id', values: ['2'] }]);
    }
  });

  it('lists a wrong row count and a match left in one error naming the object', async () => {
    await assert.rejects(verifyRewrite(duckdb.connection, { ...check(), expectedColumns: COLUMNS, expectedRows: 2 }), {
      name: 'OutputCheckError',
      message: 'mapper "people": the rewrite of s3://lake/people/part-0.parquet failed its check: it has 3 rows, expected 2; 1 rows still match',
    });
  });

  it('refuses columns other than the input\'s', async () => {
    const expectedColumns = [{ name: 'id', type: 'BIGINT' }, { name: 'name', type: 'VARCHAR' }, { name: 'email', type: 'VARCHAR' }];
    const wrong = /its columns are \(id BIGINT, name VARCHAR\), expected \(id BIGINT, name VARCHAR, email VARCHAR\)/;
    await assert.rejects(verifyRewrite(duckdb.connection, { ...check(), expectedColumns, expectedRows: 3 }), { message: wrong });
  });

  it('counts the matches over matchRelation when given one (text formats)', async () => {
    await assert.rejects(
      verifyRewrite(duckdb.connection, { ...check(), matchRelation: '(SELECT 2::BIGINT AS id UNION ALL SELECT 2)', expectedColumns: COLUMNS, expectedRows: 3 }),
      { message: /failed its check: 2 rows still match$/ },
    );
  });
});

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { buildMatchJoin, buildMatchPredicate } from '../../../shared/duckdb/matchTables';
import { MatchColumnSet } from '../../../shared/ports/QueryExecutor';
import { loadMatches, matchColumnSet, PARQUET_TESTING } from '../../support/rewriteFixtures';

/** Row numbers (0-based, in order) of `relation` that the join form of the predicate keeps, and the row count it sees. */
async function joinedRows(connection: DuckDBConnection, relation: string, sets: readonly MatchColumnSet[]): Promise<{ rows: number; matching: number[] }> {
  const match = buildMatchJoin(sets, 't');
  const reader = await connection.runAndReadAll(`SELECT count(*) AS rows, coalesce(list(t.n ORDER BY t.n) FILTER (WHERE ${match.predicate}), []) AS matching FROM ${relation} t${match.joins}`);
  const [row] = reader.getRowObjectsJS();
  return { rows: Number(row?.rows), matching: (row?.matching as unknown[]).map(Number) };
}

async function predicateRows(connection: DuckDBConnection, relation: string, sets: readonly MatchColumnSet[]): Promise<number[]> {
  const reader = await connection.runAndReadAll(`SELECT t.n FROM ${relation} t WHERE ${buildMatchPredicate(sets, 't')} ORDER BY t.n`);
  return reader.getRowObjectsJS().map((row) => Number(row.n));
}

describe('buildMatchJoin', () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  beforeEach(async () => {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
  });
  afterEach(() => {
    connection.closeSync();
    instance.closeSync();
  });

  it('matches the rows equal to a match and no others: a NULL never matches, no row is repeated, several sets OR together', async () => {
    const id = matchColumnSet([{ path: 'id', type: 'BIGINT' }]);
    const name = matchColumnSet([{ path: 'first', type: 'VARCHAR' }, { path: 'last', type: 'VARCHAR' }]);
    await loadMatches(connection, [id, name], [[['3'], ['5'], ['3']], [['ada', 'lovelace'], ['alan', 'turing']]]);
    const relation = `(SELECT * FROM (VALUES (0, 1, 'ada', 'lovelace'), (1, NULL, 'ada', NULL), (2, 3, NULL, NULL), (3, 4, 'alan', 'turing'), (4, NULL, 'alan', 'lovelace'), (5, 3, 'ada', 'lovelace')) v(n, id, "first", "last"))`;
    // Rows 0 and 5 (ada lovelace), 2 and 5 (id 3), 3 (alan turing): by hand from the VALUES above.
    assert.deepEqual(await joinedRows(connection, relation, [id, name]), { rows: 6, matching: [0, 2, 3, 5] });
    assert.deepEqual(await predicateRows(connection, relation, [id, name]), [0, 2, 3, 5]);
  });

  it('reads every row group: an object DuckDB cannot decode fails even when no match lies within its statistics', async () => {
    const set = matchColumnSet([{ path: 'c0', type: 'BIGINT' }]);
    // The file's c0 spans 1593604800..1593604801; a match far outside it lets DuckDB skip a row group it need not join.
    await loadMatches(connection, [set], [[['999999999999999']]]);
    const file = path.join(PARQUET_TESTING, 'data', 'hadoop_lz4_compressed.parquet');
    await assert.rejects(joinedRows(connection, `(SELECT file_row_number AS n, c0 FROM read_parquet('${file}', file_row_number = true))`, [set]), /compression codec/i);
  });
});

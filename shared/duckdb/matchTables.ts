import { DuckDBConnection } from '@duckdb/node-api';
import { ManifestRow } from '../model/manifest';
import { MatchColumnSet } from '../ports/QueryExecutor';
import { duckDbTypeName } from './duckDbTypeName';
import { columnReference } from './sqlText';

/** Name of the temp table that holds the typed values of match set `index`. */
export function matchTableName(index: number): string {
  return `lethe_match_${index}`;
}

/**
 * Loads manifest rows into one typed temp table per match set (columns c0..cN, cast to each column's
 * type). Values go in through the appender, so no match ID ever appears in SQL text.
 */
export async function loadMatchTables(connection: DuckDBConnection, matchSets: readonly MatchColumnSet[], rows: readonly ManifestRow[]): Promise<void> {
  for (const [index, set] of matchSets.entries()) {
    const table = matchTableName(index);
    const staging = `${table}_text`;
    const textColumns = set.columns.map((_, i) => `c${i} VARCHAR`).join(', ');
    await connection.run(`DROP TABLE IF EXISTS ${staging}; CREATE TEMP TABLE ${staging} (${textColumns})`);
    const appender = await connection.createAppender(staging);
    try {
      for (const row of rows) {
        if (row.match_columns !== set.key) continue;
        for (const value of row.values) appender.appendVarchar(value);
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    const typed = set.columns.map((column, i) => `CAST(c${i} AS ${duckDbTypeName(column.type)}) AS c${i}`).join(', ');
    await connection.run(`DROP TABLE IF EXISTS ${table}; CREATE TEMP TABLE ${table} AS SELECT DISTINCT ${typed} FROM ${staging}; DROP TABLE ${staging}`);
  }
}

/**
 * A predicate that is true for rows of `alias` matching any set. EXISTS is never NULL, so
 * `NOT <predicate>` keeps rows whose match columns are NULL (an IN over NULL would drop them).
 */
export function buildMatchPredicate(matchSets: readonly MatchColumnSet[], alias: string): string {
  if (matchSets.length === 0) return 'false';
  return matchSets
    .map((set, index) => {
      const equalities = set.columns.map((column, i) => `m.c${i} = ${columnReference(alias, column.path)}`).join(' AND ');
      return `EXISTS (SELECT 1 FROM ${matchTableName(index)} m WHERE ${equalities})`;
    })
    .join(' OR ');
}


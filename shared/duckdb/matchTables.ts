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
 * type). Values go in through the appender, so no match ID ever appears in SQL text. `firstIndex`
 * places one mapper's sets after another's, so one predicate over all the sets covers both mappers.
 */
export async function loadMatchTables(connection: DuckDBConnection, matchSets: readonly MatchColumnSet[], rows: readonly ManifestRow[], firstIndex = 0): Promise<void> {
  for (const [offset, set] of matchSets.entries()) {
    const table = matchTableName(firstIndex + offset);
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
 * A predicate that is true for rows of `alias` matching any set. An uncorrelated IN over the small
 * match table is a hash join built on that table, streaming the scanned rows; a correlated EXISTS
 * became a DELIM_JOIN that holds every scanned row in memory and fails under a small memory_limit.
 * coalesce(..., false) keeps it never NULL, so `NOT <predicate>` keeps rows whose match columns are
 * NULL; match tables hold no NULLs (CAST of given text), so a NULL column can never match.
 */
export function buildMatchPredicate(matchSets: readonly MatchColumnSet[], alias: string): string {
  if (matchSets.length === 0) return 'false';
  return matchSets
    .map((set, index) => {
      const table = matchTableName(index);
      const [only] = set.columns;
      if (set.columns.length === 1 && only) return `coalesce(${columnReference(alias, only.path)} IN (SELECT c0 FROM ${table}), false)`;
      // A composite compares all its columns at once as one struct.
      const row = set.columns.map((column, i) => `c${i} := ${columnReference(alias, column.path)}`).join(', ');
      const stored = set.columns.map((_, i) => `c${i} := c${i}`).join(', ');
      return `coalesce(struct_pack(${row}) IN (SELECT struct_pack(${stored}) FROM ${table}), false)`;
    })
    .join(' OR ');
}

import { DuckDBConnection } from '@duckdb/node-api';
import { buildMatchJoin } from '../duckdb/matchTables';
import { OutputCheckError } from '../model/errors';
import { MatchColumnSet } from '../ports/QueryExecutor';
import { queryRows } from './queryRows';
import { readDuckDbFile } from './readDuckDbFile';
import { retryOnOneThread } from './retryOnOneThread';
import { RewriteContext } from './rewriteRequest';

export interface RewriteCheck {
  /** A FROM item that reads the written output with its data columns only, e.g. `read_parquet('out')`. */
  outputRelation: string;
  /** Where the match predicate runs, when not over outputRelation (text formats: the match columns typed as the job resolved them). */
  matchRelation?: string;
  /** The input's columns as DuckDB described them; left out when the output is known to read alike (readsLikeSource). */
  expectedColumns?: readonly { name: string; type: string }[];
  /** rowsBefore - rowsDeleted. */
  expectedRows: number;
  matchSets: readonly MatchColumnSet[];
  context: RewriteContext;
}

/**
 * Reads the output back before anyone may replace the source with it: the row count adds up, no row
 * matches, and the columns are the input's (when expectedColumns is given). Every failed check is
 * listed in one OutputCheckError.
 */
export async function verifyRewrite(connection: DuckDBConnection, check: RewriteCheck): Promise<void> {
  const { context } = check;
  const { columns, rows, matches } = await readDuckDbFile(context, 'read back the rewrite of', () => retryOnOneThread(connection, async () => {
    const described = check.expectedColumns ? (await queryRows(connection, `DESCRIBE SELECT * FROM ${check.outputRelation}`)).map((column) => `${String(column.column_name)} ${String(column.column_type)}`) : undefined;
    const match = buildMatchJoin(check.matchSets, 't');
    const matchCount = `count(*) FILTER (WHERE ${match.predicate}) AS match_count`;
    // One scan counts both where the match columns are the output's own (the LEFT JOINs keep every row); text formats type them apart.
    const [counts] = await queryRows(connection, check.matchRelation ? `SELECT count(*) AS row_count FROM ${check.outputRelation} t` : `SELECT count(*) AS row_count, ${matchCount} FROM ${check.outputRelation} t${match.joins}`);
    const [matching] = check.matchRelation ? await queryRows(connection, `SELECT ${matchCount} FROM ${check.matchRelation} t${match.joins}`) : [counts];
    return {
      columns: described,
      rows: Number(counts?.row_count),
      matches: Number(matching?.match_count),
    };
  }));
  const problems: string[] = [];
  if (rows !== check.expectedRows) problems.push(`it has ${rows} rows, expected ${check.expectedRows}`);
  if (matches !== 0) problems.push(`${matches} rows still match`);
  const expected = check.expectedColumns?.map((column) => `${column.name} ${column.type}`);
  if (expected && columns && expected.join(', ') !== columns.join(', ')) problems.push(`its columns are (${columns.join(', ')}), expected (${expected.join(', ')})`);
  if (problems.length > 0) {
    throw new OutputCheckError(`mapper "${context.mapperId}": the rewrite of ${context.object} failed its check: ${problems.join('; ')}`, {
      mapperId: context.mapperId,
      object: context.object,
    });
  }
}

import { DuckDBConnection } from '@duckdb/node-api';
import { stat } from 'node:fs/promises';
import { buildMatchPredicate } from '../duckdb/matchTables';
import { quoteIdentifier, quoteLiteral } from '../duckdb/sqlText';
import { buildParquetCopyOptions } from './buildParquetCopyOptions';
import { describeParquetChanges } from './describeParquetChanges';
import { queryRows } from './queryRows';
import { readDuckDbFile } from './readDuckDbFile';
import { ParquetLayout, readParquetLayout } from './readParquetLayout';
import { FormatRewriteRequest, RewriteResult } from './rewriteObject';
import { verifyRewrite } from './verifyRewrite';

/**
 * COPY (SELECT * FROM read_parquet(in) WHERE NOT match) TO out, with the source's codec, row-group
 * size, key/value metadata and field ids. A single object is read without hive_partitioning: its path
 * may hold key=value folders, and those columns are not in the file.
 */
export async function rewriteParquetObject(connection: DuckDBConnection, request: FormatRewriteRequest): Promise<RewriteResult> {
  const { context, matchSets } = request;
  const input = `read_parquet(${quoteLiteral(request.inputFile)}, hive_partitioning = false)`;
  const predicate = buildMatchPredicate(matchSets, 't');
  const source = await readDuckDbFile(context, 'read the Parquet metadata of', () => readParquetLayout(connection, request.inputFile));
  const [counts] = await readDuckDbFile(context, 'count the matching rows of', () =>
    queryRows(connection, `SELECT count(*) AS row_count, count(*) FILTER (WHERE ${predicate}) AS match_count FROM ${input} t`),
  );
  const rowsBefore = Number(counts?.row_count);
  const rowsDeleted = Number(counts?.match_count);
  if (rowsDeleted === 0) return { rowsBefore, rowsAfter: rowsBefore, rowsDeleted: 0, outputBytes: 0, physicalChanges: [] };

  const options = buildParquetCopyOptions(source);
  // Row order is part of what a reader sees. The match predicate is a join, and DuckDB's joins do not
  // keep scan order even with preserve_insertion_order, so the rows are put back in file order.
  const ordered = `read_parquet(${quoteLiteral(request.inputFile)}, hive_partitioning = false, file_row_number = true)`;
  const query = `SELECT ${selectList(source)} FROM ${ordered} t WHERE NOT (${predicate}) ORDER BY t.file_row_number`;
  await readDuckDbFile(context, 'rewrite', () =>
    withInsertionOrder(connection, () => connection.run(`COPY (${query}) TO ${quoteLiteral(request.outputFile)} (${options.sql})`)),
  );
  const rowsAfter = rowsBefore - rowsDeleted;
  await verifyRewrite(connection, {
    outputRelation: `read_parquet(${quoteLiteral(request.outputFile)}, hive_partitioning = false)`,
    expectedColumns: source.columns,
    expectedRows: rowsAfter,
    matchSets,
    context,
  });
  const output = await readDuckDbFile(context, 'read back the Parquet metadata of the rewrite of', () => readParquetLayout(connection, request.outputFile));
  return {
    rowsBefore,
    rowsAfter,
    rowsDeleted,
    outputBytes: (await stat(request.outputFile)).size,
    physicalChanges: [...options.changes, ...describeParquetChanges(source, output)],
  };
}

/**
 * DuckDB reads a TIMESTAMP(MILLIS) column as a microsecond TIMESTAMP and would write it back as
 * MICROS; casting it to TIMESTAMP_MS keeps the unit (exact: the values came from millis). Columns
 * with a time zone or inside structs keep DuckDB's type, and the change is reported.
 */
function selectList(source: ParquetLayout): string {
  const millis = new Set(
    source.schema
      .filter((node) => node.physicalType === 'INT64' && (/MILLIS=[A-Z]/.test(node.logicalType ?? '') || (node.logicalType === null && node.convertedType === 'TIMESTAMP_MILLIS')))
      .map((node) => node.name),
  );
  const plainTimestamp = new Set(source.columns.filter((column) => column.type === 'TIMESTAMP').map((column) => column.name));
  const casts = source.columns.filter((column) => millis.has(column.name) && plainTimestamp.has(column.name));
  const exclude = '* EXCLUDE (file_row_number)';
  if (casts.length === 0) return exclude;
  const replaced = casts.map((column) => `CAST(t.${quoteIdentifier(column.name)} AS TIMESTAMP_MS) AS ${quoteIdentifier(column.name)}`);
  return `${exclude} REPLACE (${replaced.join(', ')})`;
}

/** COPY writes an ORDER BY in order only with preserve_insertion_order on; the caller's value is restored. */
async function withInsertionOrder<T>(connection: DuckDBConnection, run: () => Promise<T>): Promise<T> {
  const [setting] = await queryRows(connection, `SELECT current_setting('preserve_insertion_order') AS value`);
  const previous = setting?.value === true;
  if (previous) return run();
  await connection.run('SET preserve_insertion_order = true');
  try {
    return await run();
  } finally {
    await connection.run('SET preserve_insertion_order = false');
  }
}

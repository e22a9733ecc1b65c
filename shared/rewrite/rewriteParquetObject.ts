import { DuckDBConnection } from '@duckdb/node-api';
import { stat } from 'node:fs/promises';
import { buildMatchPredicate } from '../duckdb/matchTables';
import { quoteIdentifier, quoteLiteral } from '../duckdb/sqlText';
import { buildKeepRowsClause } from './buildKeepRowsClause';
import { buildParquetCopyOptions } from './buildParquetCopyOptions';
import { describeParquetChanges } from './describeParquetChanges';
import { queryRows } from './queryRows';
import { readDuckDbFile } from './readDuckDbFile';
import { retryOnOneThread } from './retryOnOneThread';
import { ParquetLayout, readParquetLayout } from './readParquetLayout';
import { FormatRewriteRequest, RewriteResult } from './rewriteRequest';
import { verifyRewrite } from './verifyRewrite';
import { withDuckDbSetting } from './withDuckDbSetting';

/**
 * COPY (SELECT * FROM read_parquet(in) WHERE NOT match) TO out, with the source's codec, row-group
 * size, key/value metadata and field ids. A single object is read without hive_partitioning: its path
 * may hold key=value folders, and those columns are not in the file.
 */
export async function rewriteParquetObject(connection: DuckDBConnection, request: FormatRewriteRequest): Promise<RewriteResult> {
  const { context, matchSets } = request;
  const predicate = buildMatchPredicate(matchSets, 't');
  const source = await readDuckDbFile(context, 'read the Parquet metadata of', () => readParquetLayout(connection, request.inputFile));
  const numbered = `read_parquet(${quoteLiteral(request.inputFile)}, hive_partitioning = false, file_row_number = true)`;
  const deleted = await readDuckDbFile(context, 'find the matching rows of', () =>
    retryOnOneThread(connection, async () =>
      (await queryRows(connection, `SELECT t.file_row_number AS n FROM ${numbered} t WHERE ${predicate} ORDER BY n`)).map((row) => Number(row.n)),
    ),
  );
  // The footer's row count: the rows a reader of the source sees.
  const rowsBefore = source.rowCount;
  const rowsDeleted = deleted.length;
  if (rowsDeleted === 0) return { rowsBefore, rowsAfter: rowsBefore, rowsDeleted: 0, outputBytes: 0, physicalChanges: [] };

  const options = buildParquetCopyOptions(source);
  const query = `SELECT ${selectList(source)} FROM ${numbered} t ${buildKeepRowsClause(deleted, predicate, 't')}`;
  await readDuckDbFile(context, 'rewrite', () =>
    // COPY writes rows in query order only while preserve_insertion_order is on.
    withDuckDbSetting(connection, 'preserve_insertion_order', true, () =>
      retryOnOneThread(connection, () => connection.run(`COPY (${query}) TO ${quoteLiteral(request.outputFile)} (${options.sql})`)),
    ),
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

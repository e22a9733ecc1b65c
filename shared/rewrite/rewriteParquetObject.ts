import { DuckDBConnection } from '@duckdb/node-api';
import { buildMatchJoin, buildMatchPredicate, MatchJoin } from '../duckdb/matchTables';
import { planRowGroupSplice } from '../parquet/planRowGroupSplice';
import { ByteRange } from '../ports/ObjectStore';
import { exactFileLiteral } from '../duckdb/exactFileLiteral';
import { quoteIdentifier, quoteLiteral } from '../duckdb/sqlText';
import { buildKeepRowsClause } from './buildKeepRowsClause';
import { buildParquetCopyOptions, ParquetCopyOptions } from './buildParquetCopyOptions';
import { describeParquetChanges, readsLikeSource } from './describeParquetChanges';
import { queryRows } from './queryRows';
import { readDuckDbFile } from './readDuckDbFile';
import { copyWithinMemory, retryOnOneThread } from './retryOnOneThread';
import { DescribedColumn, describeParquetColumns, ParquetLayout, readParquetLayout } from './readParquetLayout';
import { refuseInexactInt96 } from './refuseInexactInt96';
import { FormatRewriteRequest, RewriteResult } from './rewriteRequest';
import { spliceParquetObject } from './spliceParquetObject';
import { fetchParquetScanBytes } from './fetchParquetScanBytes';
import { settleAll } from '../concurrency/settleAll';
import { verifyRewrite } from './verifyRewrite';

/**
 * COPY (SELECT * FROM read_parquet(in) WHERE NOT match) TO out, with the source's codec, row-group
 * size, key/value metadata and field ids; or, when few row groups hold a match, a row-group splice
 * that re-encodes only those (spliceParquetObject). A single object is read without
 * hive_partitioning: its path may hold key=value folders, and those columns are not in the file.
 */
export async function rewriteParquetObject(connection: DuckDBConnection, request: FormatRewriteRequest): Promise<RewriteResult> {
  const { context, matchSets } = request;
  const predicate = buildMatchPredicate(matchSets, 't');
  if (request.partialInput) await fetchParquetScanBytes(request.partialInput, matchSets);
  const source = await readDuckDbFile(context, 'read the Parquet metadata of', () => readParquetLayout(request.inputFile));
  const deleted = await readDuckDbFile(context, 'find the matching rows of', () =>
    retryOnOneThread(connection, async () =>
      matchingRowNumbers(connection, request.inputFile, buildMatchJoin(matchSets, 't')),
    ),
  );
  // The footer's row count: the rows a reader of the source sees.
  const rowsBefore = source.rowCount;
  const rowsDeleted = deleted.length;
  if (rowsDeleted === 0) return { rowsBefore, rowsAfter: rowsBefore, rowsDeleted: 0, outputBytes: 0, physicalChanges: [] };
  await refuseInexactInt96(connection, request.inputFile, source, context);
  const describeSource = () => readDuckDbFile(context, 'describe the columns of', () => describeParquetColumns(connection, request.inputFile));
  // Before the COPY, DuckDB's reading of the source matters only to a millisecond column's cast.
  const millis = millisecondColumns(source);
  const sourceColumns = millis.size > 0 ? await describeSource() : undefined;

  const options = buildParquetCopyOptions(source);
  const written = await writeWithoutDeletedRows(connection, request, source, selectList(millis, sourceColumns ?? []), deleted, predicate, options);
  const rowsAfter = rowsBefore - rowsDeleted;
  const readBack = async () => {
    const output = await readDuckDbFile(context, 'read back the Parquet metadata of the rewrite of', () => readParquetLayout(request.outputFile));
    await verifyRewrite(connection, {
      outputRelation: `read_parquet(${exactFileLiteral(request.outputFile)}, hive_partitioning = false)`,
      // DuckDB reads an output with the source's schema and key/value metadata as it reads the source.
      ...(readsLikeSource(source, output) ? {} : { expectedColumns: sourceColumns ?? (await describeSource()) }),
      expectedRows: rowsAfter,
      matchSets,
      context,
    });
    return output;
  };
  // A splice's check of its kept row groups reads both files in JavaScript while DuckDB reads the output back.
  const [kept, output] = await settleAll([written.checkKeptRowGroups?.() ?? Promise.resolve<{ outputSha256?: string }>({}), readBack()]);
  return {
    rowsBefore,
    rowsAfter,
    rowsDeleted,
    outputBytes: output.fileBytes,
    physicalChanges: [...written.changes, ...describeParquetChanges(source, output)],
    ...(written.unchangedRanges ? { unchangedRanges: written.unchangedRanges } : {}),
    ...(kept.outputSha256 ? { outputSha256: kept.outputSha256 } : {}),
  };
}

/**
 * The splice when few row groups hold a deleted row and it can keep the source's schema; the full
 * COPY otherwise, saying why when a splice was planned but refused.
 */
async function writeWithoutDeletedRows(
  connection: DuckDBConnection,
  request: FormatRewriteRequest,
  source: ParquetLayout,
  select: string,
  deleted: readonly number[],
  predicate: string,
  options: ParquetCopyOptions,
): Promise<{ changes: string[]; unchangedRanges?: ByteRange[]; checkKeptRowGroups?: () => Promise<{ outputSha256?: string }> }> {
  const plan = planRowGroupSplice(source.rowGroupRows, deleted);
  let refusal: string[] = [];
  if (plan.kind === 'splice') {
    const splice = await spliceParquetObject(connection, request, { rowGroupRows: source.rowGroupRows, touched: plan.touched, predicate, selectList: select, copyOptions: options.sql, largestRowGroupBytes: source.largestRowGroupBytes });
    if (splice.kind === 'spliced') return { changes: splice.physicalChanges, unchangedRanges: splice.unchangedRanges, checkKeptRowGroups: splice.checkKeptRowGroups };
    refusal = [`full rewrite instead of a row-group splice: ${splice.reason}`];
  }
  await request.partialInput?.fetchAll();
  const query = `SELECT ${select} FROM ${numberedRows(request.inputFile)} t ${buildKeepRowsClause(deleted, predicate, 't')}`;
  await readDuckDbFile(request.context, 'rewrite', () =>
    // COPY keeps the query's row order: openDuckDb sets preserve_insertion_order once, for the instance.
    copyWithinMemory(connection, { largestRowGroupBytes: source.largestRowGroupBytes, readBytes: source.uncompressedBytes }, () => connection.run(`COPY (${query}) TO ${quoteLiteral(request.outputFile)} (${options.sql})`)),
  );
  return { changes: [...refusal, ...options.changes] };
}

/** Sorted row numbers of the matching rows; every row group is read (see buildMatchJoin). */
async function matchingRowNumbers(connection: DuckDBConnection, file: string, match: MatchJoin): Promise<number[]> {
  const reader = await connection.runAndReadAll(`SELECT coalesce(list(t.file_row_number ORDER BY t.file_row_number) FILTER (WHERE ${match.predicate}), []) AS matching FROM ${numberedRows(file)} t${match.joins}`);
  const [row] = reader.getRowObjectsJS();
  return Array.isArray(row?.matching) ? row.matching.map(Number) : [];
}

function numberedRows(file: string): string {
  return `read_parquet(${exactFileLiteral(file)}, hive_partitioning = false, file_row_number = true)`;
}

/** Top-level INT64 columns stored as millisecond timestamps, by name. */
function millisecondColumns(source: ParquetLayout): Set<string> {
  return new Set(
    source.schema
      .filter((node) => node.physicalType === 'INT64' && (node.logicalType?.unit === 'MILLIS' || (node.logicalType === null && node.convertedType === 'TIMESTAMP_MILLIS')))
      .map((node) => node.name),
  );
}

/**
 * DuckDB reads a TIMESTAMP(MILLIS) column as a microsecond TIMESTAMP and would write it back as
 * MICROS; casting it to TIMESTAMP_MS keeps the unit (exact: the values came from millis). Columns
 * with a time zone or inside structs keep DuckDB's type, and the change is reported.
 */
function selectList(millis: ReadonlySet<string>, columns: readonly DescribedColumn[]): string {
  const casts = columns.filter((column) => millis.has(column.name) && column.type === 'TIMESTAMP');
  const exclude = '* EXCLUDE (file_row_number)';
  if (casts.length === 0) return exclude;
  const replaced = casts.map((column) => `CAST(t.${quoteIdentifier(column.name)} AS TIMESTAMP_MS) AS ${quoteIdentifier(column.name)}`);
  return `${exclude} REPLACE (${replaced.join(', ')})`;
}

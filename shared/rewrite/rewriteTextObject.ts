import { DuckDBConnection } from '@duckdb/node-api';
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { buildMatchJoin } from '../duckdb/matchTables';
import { ResolvedColumn } from '../model/columnType';
import { UnreadableObjectError } from '../model/errors';
import { detectGzip } from '../duckdb/detectGzip';
import { openByteSink } from './openByteSink';
import { queryRows } from './queryRows';
import { readDuckDbFile } from './readDuckDbFile';
import { readRecords, RecordBoundary } from './readRecords';
import { retryOnOneThread } from './retryOnOneThread';
import { FormatRewriteRequest, RewriteResult } from './rewriteRequest';
import { verifyRewrite } from './verifyRewrite';

/** Name of the ordinal column a numbered copy puts before the data columns. */
export const ORDINAL_COLUMN = '__lethe_ordinal';

export type RecordRole = 'header' | 'data' | 'verbatim';

export interface DataColumn {
  name: string;
  type: string;
}

/** What JSON Lines and CSV differ in; the byte-preserving rewrite around it is shared. */
export interface TextRecordFormat {
  boundary: RecordBoundary;
  /** Only `data` records are rows; headers, blank and comment lines are kept as they are. */
  classify(record: Buffer, index: number): RecordRole;
  /** The record as a line of the numbered copy; `ordinal` is null for the header. */
  numberedLine(record: Buffer, ordinal: number | null): Buffer;
  /** A FROM item over a numbered copy: the ordinal, then the data columns (typed as given, else detected). */
  numberedRelation(numberedFile: string, columns?: readonly DataColumn[]): string;
  /**
   * A FROM item over a numbered copy with the ordinal and the match columns typed as the job
   * resolved them, whatever this file alone would show: a column no line has reads as NULL, one
   * whose values are all null keeps its type. The match predicate runs over this, never over types
   * inferred from one file.
   */
  matchRelation(numberedFile: string, matchColumns: readonly ResolvedColumn[]): string;
}

/**
 * Rewrites a text object keeping every surviving record's bytes: DuckDB parses a copy in which each
 * record carries its ordinal and says which ordinals match; Node then copies the source's records,
 * skipping those. DuckDB never writes the output, so quoting, spacing and key order stay the source's.
 */
export async function rewriteTextObject(
  connection: DuckDBConnection,
  request: FormatRewriteRequest,
  openFormat: (plainFile: string) => Promise<TextRecordFormat>,
): Promise<RewriteResult> {
  const { context, matchSets } = request;
  const gzip = await detectGzip(request.inputFile);
  const plainInput = gzip ? path.join(request.scratchDirectory, 'input.plain') : request.inputFile;
  if (gzip) await readDuckDbFile(context, 'decompress', () => copyRecords(request.inputFile, plainInput, { kind: 'lines' }, true, false));
  const format = await readDuckDbFile(context, 'detect the layout of', () => openFormat(plainInput));

  const numbered = path.join(request.scratchDirectory, 'input.numbered');
  const rowsBefore = await writeNumberedCopy(plainInput, false, numbered, format);
  const matchColumns = matchSets.flatMap((set) => set.columns);
  const { columns, rowsRead, ordinals } = await readDuckDbFile(context, 'read', () => retryOnOneThread(connection, async () => {
    const described = await queryRows(connection, `DESCRIBE SELECT * FROM ${format.numberedRelation(numbered)}`);
    // One pass counts the records and collects the matching ordinals (few: the rows being erased).
    const match = buildMatchJoin(matchSets, 't');
    const reader = await connection.runAndReadAll(
      `SELECT count(*) AS row_count, coalesce(list(t.${ORDINAL_COLUMN}) FILTER (WHERE ${match.predicate}), []) AS matching FROM ${format.matchRelation(numbered, matchColumns)} t${match.joins}`,
    );
    const [counted] = reader.getRowObjectsJS();
    const matching = Array.isArray(counted?.matching) ? counted.matching : [];
    return {
      columns: described.slice(1).map((column) => ({ name: String(column.column_name), type: String(column.column_type) })),
      rowsRead: Number(counted?.row_count),
      ordinals: new Set(matching.map((ordinal) => Number(ordinal))),
    };
  }));
  // If DuckDB saw a different number of records than we split, ordinals would point at the wrong lines.
  if (rowsRead !== rowsBefore) {
    throw new UnreadableObjectError(`mapper "${context.mapperId}": cannot rewrite ${context.object}: DuckDB read ${rowsRead} records where lethe split ${rowsBefore}`, context);
  }
  const rowsDeleted = ordinals.size;
  if (rowsDeleted === 0) return { rowsBefore, rowsAfter: rowsBefore, rowsDeleted: 0, outputBytes: 0, physicalChanges: [] };

  await copyRecords(plainInput, request.outputFile, format.boundary, false, gzip, format, ordinals);
  const rowsAfter = rowsBefore - rowsDeleted;
  const numberedOutput = path.join(request.scratchDirectory, 'output.numbered');
  await writeNumberedCopy(request.outputFile, gzip, numberedOutput, format);
  await verifyRewrite(connection, {
    outputRelation: `(SELECT * EXCLUDE (${ORDINAL_COLUMN}) FROM ${format.numberedRelation(numberedOutput, columns)})`,
    matchRelation: format.matchRelation(numberedOutput, matchColumns),
    expectedColumns: columns,
    expectedRows: rowsAfter,
    matchSets,
    context,
  });
  return {
    rowsBefore,
    rowsAfter,
    rowsDeleted,
    outputBytes: (await stat(request.outputFile)).size,
    physicalChanges: gzip ? ['gzip recompressed by zlib as one member: the surviving lines are byte-identical, the compressed bytes differ'] : [],
  };
}

/** Writes the numbered copy DuckDB parses; returns how many data records it numbered. */
async function writeNumberedCopy(file: string, gzip: boolean, numbered: string, format: TextRecordFormat): Promise<number> {
  const sink = openByteSink(numbered, false);
  let ordinal = 0;
  try {
    let index = 0;
    for await (const record of readRecords(file, format.boundary, gzip)) {
      const role = format.classify(record, index++);
      if (role === 'header') await sink.write(format.numberedLine(record, null));
      else if (role === 'data') await sink.write(format.numberedLine(record, ordinal++));
    }
    await sink.close();
  } catch (error) {
    sink.destroy();
    throw error;
  }
  return ordinal;
}

/** Copies records byte for byte, leaving out the data records whose ordinal is in `drop`. */
async function copyRecords(
  from: string,
  to: string,
  boundary: RecordBoundary,
  fromGzip: boolean,
  toGzip: boolean,
  format?: TextRecordFormat,
  drop: ReadonlySet<number> = new Set(),
): Promise<void> {
  const sink = openByteSink(to, toGzip);
  try {
    let index = 0;
    let ordinal = 0;
    for await (const record of readRecords(from, boundary, fromGzip)) {
      const role = format ? format.classify(record, index++) : 'verbatim';
      if (role === 'data' && drop.has(ordinal++)) continue;
      await sink.write(record);
    }
    await sink.close();
  } catch (error) {
    sink.destroy();
    throw error;
  }
}

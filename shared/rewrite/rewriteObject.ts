import { DuckDBConnection } from '@duckdb/node-api';
import { mkdtemp, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { DataFormat } from '../model/dataMapper';
import { LetheError, unreachable } from '../model/errors';
import { MatchColumnSet } from '../ports/QueryExecutor';
import { rewriteCsvObject } from './rewriteCsvObject';
import { rewriteJsonLinesObject } from './rewriteJsonLinesObject';
import { rewriteParquetObject } from './rewriteParquetObject';

export interface RewriteContext {
  mapperId: string;
  /** The object's URI, named in every error. */
  object: string;
}

export interface RewriteRequest {
  format: DataFormat;
  /** Local temp copy of the exact source version; never modified. */
  inputFile: string;
  /** Where the rewritten object goes; not written when no row matched. */
  outputFile: string;
  /** Sets whose typed values the caller loaded with loadMatchTables, in the same order. */
  matchSets: MatchColumnSet[];
  /** Scratch space; everything the rewrite puts there is removed before it returns. */
  tempDirectory: string;
  context: RewriteContext;
}

export interface RewriteResult {
  rowsBefore: number;
  rowsAfter: number;
  rowsDeleted: number;
  /** 0 when rowsDeleted === 0 (no output written). */
  outputBytes: number;
  /** What the output does not keep physically, one sentence each (e.g. "INT96 column ts written as INT64 TIMESTAMP(MICROS)"). */
  physicalChanges: string[];
}

/** What one format's rewrite gets: the request plus a private scratch folder. */
export interface FormatRewriteRequest extends RewriteRequest {
  scratchDirectory: string;
}

/**
 * Writes `outputFile` as `inputFile` without the rows matching `matchSets`, checks it, and says what
 * happened. A file DuckDB cannot read throws UnreadableObjectError; a failed check throws LetheError.
 */
export async function rewriteObject(connection: DuckDBConnection, request: RewriteRequest): Promise<RewriteResult> {
  if (path.resolve(request.outputFile) === path.resolve(request.inputFile)) {
    // The source copy is what a failed or refused rewrite falls back to; it is never written.
    throw new LetheError(`mapper "${request.context.mapperId}": the rewrite of ${request.context.object} would overwrite its input`, request.context);
  }
  const scratchDirectory = await mkdtemp(path.join(request.tempDirectory, 'rewrite-'));
  const formatRequest: FormatRewriteRequest = { ...request, scratchDirectory };
  try {
    switch (request.format) {
      case 'parquet':
        return await rewriteParquetObject(connection, formatRequest);
      case 'json':
        return await rewriteJsonLinesObject(connection, formatRequest);
      case 'csv':
        return await rewriteCsvObject(connection, formatRequest);
      default:
        return unreachable(request.format);
    }
  } catch (error) {
    // A failed COPY leaves a partial file behind; nobody may mistake it for a checked rewrite.
    await rm(request.outputFile, { force: true });
    throw error;
  } finally {
    await rm(scratchDirectory, { recursive: true, force: true });
  }
}

import { DuckDBConnection } from '@duckdb/node-api';
import { mkdtemp, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { LetheError, unreachable } from '../model/errors';
import { rewriteCsvObject } from './rewriteCsvObject';
import { rewriteJsonLinesObject } from './rewriteJsonLinesObject';
import { rewriteParquetObject } from './rewriteParquetObject';
import { FormatRewriteRequest, RewriteRequest, RewriteResult } from './rewriteRequest';

/**
 * Writes `outputFile` as `inputFile` without the rows matching `matchSets`, checks it, and says what
 * happened. A file DuckDB cannot read throws UnreadableObjectError; a failed check throws OutputCheckError.
 */
export async function rewriteObject(connection: DuckDBConnection, request: RewriteRequest): Promise<RewriteResult> {
  if (path.resolve(request.outputFile) === path.resolve(request.inputFile)) {
    // The source copy is what a failed or refused rewrite falls back to; it is never written.
    throw new LetheError(`mapper "${request.context.mapperId}": the rewrite of ${request.context.object} would overwrite its input`, request.context);
  }
  const scratchDirectory = await mkdtemp(path.join(request.tempDirectory, 'rewrite-'));
  const formatRequest: FormatRewriteRequest = { ...request, scratchDirectory };
  try {
    if (request.partialInput && request.partialInput.file !== request.inputFile) {
      throw new LetheError(`mapper "${request.context.mapperId}": the partial copy of ${request.context.object} is not its input file`, request.context);
    }
    // Only the Parquet rewrite knows which ranges it reads.
    if (request.format !== 'parquet') await request.partialInput?.fetchAll();
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

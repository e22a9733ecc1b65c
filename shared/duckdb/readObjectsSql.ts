import { ResolvedColumn } from '../model/columnType';
import { DataFormat } from '../model/dataMapper';
import { unreachable } from '../model/errors';
import { detectGzip } from './detectGzip';
import { exactFileLiteral } from './exactFileLiteral';
import { matchColumnTypes } from './matchColumnTypes';
import { quoteLiteral } from './sqlText';

export interface LocalObjectFile {
  path: string;
  gzip: boolean;
}

/**
 * Local files as readObjectsSql takes them. A text object is gzip by content, so its first bytes are
 * read; Parquet compresses inside the file, so no Parquet file is opened for it.
 */
export async function localObjectFiles(format: DataFormat, paths: readonly string[]): Promise<LocalObjectFile[]> {
  return Promise.all(paths.map(async (path) => ({ path, gzip: format !== 'parquet' && (await detectGzip(path)) })));
}

export interface ReadObjectsOptions {
  filename: boolean;
  /**
   * The match columns, typed as the job resolved them. A text format then reads them with those
   * types instead of inferring them per file: a column absent from a file (an emptied object, a
   * nested field no surviving line has) reads as NULL, and one whose values are all null keeps its
   * type. Without them (learning a table's columns) every column is inferred.
   */
  columns?: readonly ResolvedColumn[];
}

/**
 * A table expression reading local files of one format, with a `filename` column when asked.
 * Gzip is passed explicitly per file group because DuckDB guesses it from the name, and lake
 * objects are gzip by content. Text formats infer types from every row (sample_size = -1), as the
 * rewrite does, so a late row cannot break a type guessed from the first ones. Row order within a
 * file is the file's order.
 */
export function readObjectsSql(format: DataFormat, files: readonly LocalObjectFile[], options: ReadObjectsOptions): string {
  const groups = [files.filter((f) => f.gzip), files.filter((f) => !f.gzip)].filter((g) => g.length > 0);
  const reads = groups.map((group) => {
    const list = `[${group.map((f) => exactFileLiteral(f.path)).join(', ')}]`;
    const compression = group[0]!.gzip ? 'gzip' : 'uncompressed';
    const common = `filename = ${options.filename}, union_by_name = true, hive_partitioning = false`;
    const text = `compression = '${compression}', ${common}, sample_size = -1`;
    switch (format) {
      case 'parquet':
        return `read_parquet(${list}, ${common})`;
      case 'json':
        return `read_json(${list}, format = 'newline_delimited', ${text}${options.columns ? `, columns = ${typesLiteral(options.columns)}` : ''})`;
      case 'csv':
        return `read_csv(${list}, header = true, ${text}${options.columns ? `, types = ${typesLiteral(options.columns)}` : ''})`;
      default:
        return unreachable(format);
    }
  });
  if (reads.length === 1) return reads[0]!;
  return `(${reads.map((r) => `SELECT * FROM ${r}`).join(' UNION ALL BY NAME ')})`;
}

/**
 * `{'customer_id': 'BIGINT', 'user': 'STRUCT("email" VARCHAR)'}`: JSON's `columns` (it reads only
 * these) and CSV's `types` (the other columns are inferred; CSV has no structs).
 */
function typesLiteral(columns: readonly ResolvedColumn[]): string {
  return `{${matchColumnTypes(columns).map((c) => `${quoteLiteral(c.name)}: ${quoteLiteral(c.type)}`).join(', ')}}`;
}

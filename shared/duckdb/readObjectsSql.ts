import { DataFormat } from '../model/dataMapper';
import { unreachable } from '../model/errors';
import { quoteLiteral } from './sqlText';

export interface LocalObjectFile {
  path: string;
  gzip: boolean;
}

/**
 * A table expression reading local files of one format, with a `filename` column when asked.
 * Gzip is passed explicitly per file group because DuckDB guesses it from the name, and lake
 * objects are gzip by content. Row order within a file is the file's order.
 */
export function readObjectsSql(format: DataFormat, files: readonly LocalObjectFile[], options: { filename: boolean }): string {
  const groups = [files.filter((f) => f.gzip), files.filter((f) => !f.gzip)].filter((g) => g.length > 0);
  const reads = groups.map((group) => {
    const list = `[${group.map((f) => quoteLiteral(f.path)).join(', ')}]`;
    const compression = group[0]!.gzip ? 'gzip' : 'none';
    const common = `filename = ${options.filename}, union_by_name = true`;
    switch (format) {
      case 'parquet':
        return `read_parquet(${list}, ${common}, hive_partitioning = false)`;
      case 'json':
        return `read_json(${list}, format = 'newline_delimited', compression = '${compression}', ${common}, hive_partitioning = false)`;
      case 'csv':
        return `read_csv(${list}, header = true, compression = '${compression}', ${common}, hive_partitioning = false)`;
      default:
        return unreachable(format);
    }
  });
  if (reads.length === 1) return reads[0]!;
  return `(${reads.map((r) => `SELECT * FROM ${r}`).join(' UNION ALL BY NAME ')})`;
}

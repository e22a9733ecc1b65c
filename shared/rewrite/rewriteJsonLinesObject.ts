import { DuckDBConnection } from '@duckdb/node-api';
import { exactFileLiteral } from '../duckdb/exactFileLiteral';
import { matchColumnTypes } from '../duckdb/matchColumnTypes';
import { quoteIdentifier, quoteLiteral } from '../duckdb/sqlText';
import { FormatRewriteRequest, RewriteResult } from './rewriteRequest';
import { DataColumn, ORDINAL_COLUMN, rewriteTextObject, TextRecordFormat } from './rewriteTextObject';

/**
 * JSON Lines: each non-blank line is one row. Blank (whitespace-only) lines are not rows, as for
 * DuckDB's reader; they are kept where they are.
 */
export function rewriteJsonLinesObject(connection: DuckDBConnection, request: FormatRewriteRequest): Promise<RewriteResult> {
  return rewriteTextObject(connection, request, async () => jsonLinesFormat);
}

const jsonLinesFormat: TextRecordFormat = {
  boundary: { kind: 'lines' },
  classify: (record) => (isBlank(record) ? 'verbatim' : 'data'),
  // Wrapping the line as a value, instead of adding a key to it, leaves its own keys untouched.
  numberedLine: (record, ordinal) => Buffer.concat([Buffer.from(`{"${ORDINAL_COLUMN}":${ordinal},"r":`), trimLineEnd(record), Buffer.from('}\n')]),
  numberedRelation: (numberedFile, columns) => readNumbered(numberedFile, columns && structType(columns)),
  matchRelation: (numberedFile, matchColumns) => readNumbered(numberedFile, structType(matchColumnTypes(matchColumns))),
};

/** The numbered copy's reader: the ordinal, then the line as `r` of the given type, or inferred from every line. */
function readNumbered(numberedFile: string, recordType: string | undefined): string {
  // sample_size = -1 infers types from every line, so a late line of another shape cannot fail the read.
  const typed = recordType ? `, columns = {${quoteLiteral(ORDINAL_COLUMN)}: 'BIGINT', 'r': ${quoteLiteral(recordType)}}` : ', sample_size = -1';
  return `(SELECT ${ORDINAL_COLUMN}, r.* FROM read_json(${exactFileLiteral(numberedFile)}, format = 'newline_delimited', hive_partitioning = false${typed}))`;
}

function structType(columns: readonly DataColumn[]): string {
  return `STRUCT(${columns.map((column) => `${quoteIdentifier(column.name)} ${column.type}`).join(', ')})`;
}

function isBlank(record: Buffer): boolean {
  for (const byte of record) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false;
  return true;
}

function trimLineEnd(record: Buffer): Buffer {
  let end = record.length;
  while (end > 0 && (record[end - 1] === 0x0a || record[end - 1] === 0x0d)) end--;
  return record.subarray(0, end);
}

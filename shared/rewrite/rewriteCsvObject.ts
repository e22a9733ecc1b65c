import { DuckDBConnection } from '@duckdb/node-api';
import { exactFileLiteral } from '../duckdb/exactFileLiteral';
import { matchColumnTypes } from '../duckdb/matchColumnTypes';
import { quoteLiteral } from '../duckdb/sqlText';
import { FormatRewriteRequest, RewriteResult } from './rewriteRequest';
import { DataColumn, ORDINAL_COLUMN, rewriteTextObject, TextRecordFormat } from './rewriteTextObject';

/**
 * CSV: the dialect (delimiter, quote, escape, header, types) is sniffed once from the source, and the
 * numbered copy is read with exactly that dialect. Records are split by the same quote rules, so a
 * quoted newline stays inside its record; empty lines and comment lines are not rows and are kept.
 */
export function rewriteCsvObject(connection: DuckDBConnection, request: FormatRewriteRequest): Promise<RewriteResult> {
  return rewriteTextObject(connection, request, (plainFile) => openCsvFormat(connection, plainFile));
}

interface CsvDialect {
  delimiter: string;
  quote: string;
  escape: string;
  newline: '\n' | '\r';
  comment: string;
  skipRows: number;
  hasHeader: boolean;
  columns: DataColumn[];
  dateFormat: string | null;
  timestampFormat: string | null;
}

async function openCsvFormat(connection: DuckDBConnection, plainFile: string): Promise<TextRecordFormat> {
  const dialect = await sniffCsvDialect(connection, plainFile);
  const prefix = (text: string) => Buffer.from(`${text}${dialect.delimiter}`);
  const comment = dialect.comment.length > 0 ? dialect.comment.charCodeAt(0) : -1;
  const numberedRelation = (numberedFile: string, columns: readonly DataColumn[] = dialect.columns): string => {
    const types = [`${quoteLiteral(ORDINAL_COLUMN)}: 'BIGINT'`, ...columns.map((c) => `${quoteLiteral(c.name)}: ${quoteLiteral(c.type)}`)];
    const options = [
      'auto_detect = false',
      'hive_partitioning = false',
      `delim = ${quoteLiteral(dialect.delimiter)}`,
      `quote = ${quoteLiteral(dialect.quote)}`,
      `escape = ${quoteLiteral(dialect.escape)}`,
      `header = ${dialect.hasHeader}`,
      `columns = {${types.join(', ')}}`,
      ...(dialect.dateFormat ? [`dateformat = ${quoteLiteral(dialect.dateFormat)}`] : []),
      ...(dialect.timestampFormat ? [`timestampformat = ${quoteLiteral(dialect.timestampFormat)}`] : []),
    ];
    return `(SELECT * FROM read_csv(${exactFileLiteral(numberedFile)}, ${options.join(', ')}))`;
  };
  return {
    boundary: { kind: 'csv', quote: dialect.quote, escape: dialect.escape, newline: dialect.newline },
    classify(record, index) {
      if (index < dialect.skipRows || isEmptyLine(record) || record[0] === comment) return 'verbatim';
      return dialect.hasHeader && index === dialect.skipRows ? 'header' : 'data';
    },
    numberedLine: (record, ordinal) => Buffer.concat([prefix(ordinal === null ? ORDINAL_COLUMN : String(ordinal)), withNewline(record, dialect.newline)]),
    numberedRelation,
    matchRelation(numberedFile, matchColumns) {
      // CSV is flat: a match column keeps its place and name, read with the job's type instead of this file's.
      const typed = new Map(matchColumnTypes(matchColumns).map((column) => [column.name, column.type]));
      return numberedRelation(numberedFile, dialect.columns.map((column) => ({ name: column.name, type: typed.get(column.name) ?? column.type })));
    },
  };
}

/** sample_size = -1: types are inferred from every row, so no late row fails the typed read. */
async function sniffCsvDialect(connection: DuckDBConnection, file: string): Promise<CsvDialect> {
  const reader = await connection.runAndReadAll(`SELECT * FROM sniff_csv(${exactFileLiteral(file)}, sample_size = -1)`);
  const [row] = reader.getRowObjectsJS();
  if (!row) throw new Error('sniff_csv returned nothing');
  const option = (value: unknown) => (value === null || value === undefined || String(value) === '(empty)' ? '' : String(value));
  const newline = option(row.NewLineDelimiter);
  return {
    delimiter: option(row.Delimiter),
    quote: option(row.Quote),
    escape: option(row.Escape),
    newline: newline === '\\r' ? '\r' : '\n',
    comment: option(row.Comment),
    skipRows: Number(row.SkipRows ?? 0),
    hasHeader: row.HasHeader === true,
    columns: parseSniffedColumns(row.Columns),
    dateFormat: option(row.DateFormat) || null,
    timestampFormat: option(row.TimestampFormat) || null,
  };
}

function parseSniffedColumns(value: unknown): DataColumn[] {
  const items = Array.isArray(value) ? value : [];
  return items.map((item: unknown) => {
    const record = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
    return { name: String(record.name), type: String(record.type) };
  });
}

function isEmptyLine(record: Buffer): boolean {
  return record.length === 0 || (record.length === 1 && record[0] === 0x0a) || (record.length === 2 && record[0] === 0x0d && record[1] === 0x0a) || (record.length === 1 && record[0] === 0x0d);
}

function withNewline(record: Buffer, newline: '\n' | '\r'): Buffer {
  return record.length > 0 && record[record.length - 1] === newline.charCodeAt(0) ? record : Buffer.concat([record, Buffer.from(newline)]);
}


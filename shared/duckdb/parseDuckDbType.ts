import { ColumnType, TimeUnit } from '../model/columnType';

/**
 * Translates a DuckDB type name (as DESCRIBE prints it) into a ColumnType. Unknown and container types
 * other than STRUCT become `other`, which is readable but never compared with a match.
 */
export function parseDuckDbType(typeName: string): ColumnType {
  const text = typeName.trim();
  const upper = text.toUpperCase();
  if (upper.startsWith('STRUCT(') && upper.endsWith(')')) {
    return { kind: 'struct', fields: splitTopLevel(text.slice(7, -1)).map(parseStructField) };
  }
  if (upper.endsWith('[]') || /^(LIST|MAP|UNION)\(/.test(upper) || /\[\d+\]$/.test(upper)) return { kind: 'other', name: text };
  const decimal = /^(?:DECIMAL|NUMERIC)\((\d+),\s*(\d+)\)$/.exec(upper);
  if (decimal) return { kind: 'decimal', precision: Number(decimal[1]), scale: Number(decimal[2]) };
  const simple = SIMPLE_TYPES[upper];
  if (simple) return simple;
  if (/^VARCHAR\(\d+\)$/.test(upper)) return { kind: 'string' };
  return { kind: 'other', name: text };
}

const int = (bits: 8 | 16 | 32 | 64 | 128, signed: boolean): ColumnType => ({ kind: 'int', bits, signed });
const timestamp = (unit: TimeUnit, withTimeZone = false): ColumnType => ({ kind: 'timestamp', unit, withTimeZone });

const SIMPLE_TYPES: Record<string, ColumnType> = {
  VARCHAR: { kind: 'string' },
  TEXT: { kind: 'string' },
  STRING: { kind: 'string' },
  TINYINT: int(8, true),
  SMALLINT: int(16, true),
  INTEGER: int(32, true),
  BIGINT: int(64, true),
  HUGEINT: int(128, true),
  UTINYINT: int(8, false),
  USMALLINT: int(16, false),
  UINTEGER: int(32, false),
  UBIGINT: int(64, false),
  UHUGEINT: int(128, false),
  FLOAT: { kind: 'float', bits: 32 },
  REAL: { kind: 'float', bits: 32 },
  DOUBLE: { kind: 'float', bits: 64 },
  DATE: { kind: 'date' },
  BOOLEAN: { kind: 'boolean' },
  TIMESTAMP: timestamp('us'),
  TIMESTAMP_S: timestamp('s'),
  TIMESTAMP_MS: timestamp('ms'),
  TIMESTAMP_NS: timestamp('ns'),
  'TIMESTAMP WITH TIME ZONE': timestamp('us', true),
  TIMESTAMPTZ: timestamp('us', true),
};

function parseStructField(field: string): { name: string; type: ColumnType } {
  const trimmed = field.trim();
  if (trimmed.startsWith('"')) {
    let end = 1;
    let name = '';
    while (end < trimmed.length) {
      if (trimmed[end] === '"' && trimmed[end + 1] === '"') {
        name += '"';
        end += 2;
      } else if (trimmed[end] === '"') break;
      else name += trimmed[end++];
    }
    return { name, type: parseDuckDbType(trimmed.slice(end + 1)) };
  }
  const space = trimmed.indexOf(' ');
  return { name: trimmed.slice(0, space), type: parseDuckDbType(trimmed.slice(space + 1)) };
}

/** Splits on commas outside parentheses and quotes. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '(' || ch === '<' || ch === '[')) depth++;
    else if (!quoted && (ch === ')' || ch === '>' || ch === ']')) depth--;
    else if (!quoted && depth === 0 && ch === ',') {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (text.slice(start).trim().length > 0) parts.push(text.slice(start));
  return parts;
}

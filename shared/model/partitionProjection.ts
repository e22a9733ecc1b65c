import { InputError } from './errors';

/** Units of a date projection's interval and of a NOW-relative range end, as Athena names them. */
export const DATE_UNITS = ['YEARS', 'MONTHS', 'WEEKS', 'DAYS', 'HOURS', 'MINUTES', 'SECONDS'] as const;
export type DateUnit = (typeof DATE_UNITS)[number];

/** A pattern letter of a date projection's format: yyyy MM dd HH mm ss. */
export type DateField = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second';
export type DateFormatToken = { kind: 'field'; field: DateField } | { kind: 'literal'; text: string };

/** One end of a date range: a fixed instant (UTC), or NOW shifted by a number of units when the job starts. */
export type DateBound = { kind: 'fixed'; epochMs: number } | { kind: 'now'; offset: number; unit: DateUnit };

/** How Athena projects one partition key's values (the table's `projection.<key>.*` parameters). */
export type ProjectedKey =
  | { kind: 'enum'; key: string; values: string[] }
  | { kind: 'integer'; key: string; min: number; max: number; interval: number; digits?: number }
  | { kind: 'date'; key: string; format: DateFormatToken[]; formatText: string; start: DateBound; end: DateBound; interval: number; unit: DateUnit };

/** A table's partition projection: no partition is listed in Glue, Athena computes them. */
export interface PartitionProjection {
  /** One per partition key, in table order. */
  keys: ProjectedKey[];
  /** `storage.location.template` with `${key}` placeholders; absent: `<location>/key=value/...` (Hive layout). */
  template?: string;
}

/**
 * Reads a Glue table's partition projection from its parameters; undefined when projection is off.
 * `where` names the table (`mapper "m": Glue table db.t`). What Athena supports but lethe cannot plan
 * from is refused, naming the key: injected keys (their values exist only in each query), formats
 * other than yyyy MM dd HH mm ss, integer ranges beyond 2^53.
 */
export function parsePartitionProjection(parameters: Readonly<Record<string, string>>, partitionKeys: readonly string[], where: string): PartitionProjection | undefined {
  if ((parameters['projection.enabled'] ?? '').trim().toLowerCase() !== 'true') return undefined;
  const problems: string[] = [];
  const keys: ProjectedKey[] = [];
  for (const key of partitionKeys) {
    try {
      keys.push(parseProjectedKey(parameters, key));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(`${where}: partition projection of key "${key}": ${error.message}`);
    }
  }
  const template = parameters['storage.location.template'];
  if (template !== undefined) {
    const unknown = [...template.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]!).filter((name) => !partitionKeys.includes(name));
    if (unknown.length > 0) problems.push(`${where}: storage.location.template "${template}" names ${unknown.map((k) => `"${k}"`).join(', ')}, not a partition key`);
    if (!/^s3[an]?:\/\/[^/$]+\//.test(template)) problems.push(`${where}: storage.location.template "${template}" is not an s3:// location`);
  }
  if (partitionKeys.length === 0) problems.push(`${where}: partition projection is enabled but the table has no partition keys`);
  if (problems.length > 0) throw new InputError(problems.join('\n'));
  return { keys, ...(template !== undefined ? { template: template.replace(/^s3[an]:\/\//, 's3://') } : {}) };
}

function parseProjectedKey(parameters: Readonly<Record<string, string>>, key: string): ProjectedKey {
  const param = (name: string) => parameters[`projection.${key}.${name}`];
  const type = param('type')?.trim().toLowerCase();
  switch (type) {
    case 'enum': {
      const values = param('values');
      // Athena keeps white space as part of an enum value, so the list is split on commas only.
      if (values === undefined || values === '') throw new InputError('enum needs projection.<key>.values');
      return { kind: 'enum', key, values: values.split(',') };
    }
    case 'integer':
      return parseIntegerKey(key, param);
    case 'date':
      return parseDateKey(key, param);
    case 'injected':
      throw new InputError('type injected is not supported: its values exist only in the queries that name them, so lethe cannot enumerate the partitions to search');
    case undefined:
      throw new InputError('projection.<key>.type is missing');
    default:
      throw new InputError(`type "${param('type')}" is not supported (enum, integer or date)`);
  }
}

function parseIntegerKey(key: string, param: (name: string) => string | undefined): ProjectedKey {
  const [low, high, ...rest] = (param('range') ?? '').split(',').map((part) => part.trim());
  if (low === undefined || high === undefined || rest.length > 0 || !/^-?\d+$/.test(low) || !/^-?\d+$/.test(high)) {
    throw new InputError(`integer range "${param('range') ?? ''}" is not "min,max"`);
  }
  const min = Number(low);
  const max = Number(high);
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max)) throw new InputError(`integer range "${param('range')}" reaches beyond ±2^53; not supported`);
  if (min > max) throw new InputError(`integer range "${param('range')}" ends before it starts`);
  const interval = positiveInteger(param('interval'), 'interval') ?? 1;
  const digits = positiveInteger(param('digits'), 'digits');
  return { kind: 'integer', key, min, max, interval, ...(digits !== undefined ? { digits } : {}) };
}

function parseDateKey(key: string, param: (name: string) => string | undefined): ProjectedKey {
  const formatText = param('format');
  if (formatText === undefined || formatText.trim() === '') throw new InputError('date needs projection.<key>.format');
  const format = parseDateFormat(formatText);
  const range = param('range') ?? '';
  if (formatText.includes(',')) throw new InputError(`date format "${formatText}" holds a comma, which makes the range ambiguous; not supported`);
  const parts = range.split(',').map((part) => part.trim());
  if (parts.length !== 2) throw new InputError(`date range "${range}" is not "start,end"`);
  const [start, end] = parts.map((part) => parseDateBound(part, format, formatText)) as [DateBound, DateBound];
  const interval = positiveInteger(param('interval'), 'interval') ?? 1;
  const unitText = param('interval.unit')?.trim().toUpperCase();
  let unit: DateUnit;
  if (unitText !== undefined) {
    unit = dateUnit(unitText, 'interval.unit');
  } else {
    const inferred = coarsestUnitOf(format);
    // With interval 1 a step of the format's finest field enumerates the same values Athena does;
    // a longer step depends on the unit Athena infers, which its documentation leaves open.
    if (inferred === undefined || interval !== 1) throw new InputError(`date format "${formatText}" with interval ${interval} needs projection.<key>.interval.unit`);
    unit = inferred;
  }
  return { kind: 'date', key, format, formatText, start, end, interval, unit };
}

function positiveInteger(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1) throw new InputError(`${name} "${text}" is not a positive integer`);
  return value;
}

function dateUnit(text: string, name: string): DateUnit {
  const plural = text.endsWith('S') ? text : `${text}S`;
  const unit = DATE_UNITS.find((u) => u === plural);
  if (!unit) throw new InputError(`${name} "${text}" is not a unit lethe supports (${DATE_UNITS.join(', ')})`);
  return unit;
}

const NOW_BOUND = /^NOW(?:\s*([+-])\s*(\d+)\s*([A-Z]+))?$/i;

function parseDateBound(text: string, format: readonly DateFormatToken[], formatText: string): DateBound {
  const now = NOW_BOUND.exec(text);
  if (now) {
    if (now[1] === undefined) return { kind: 'now', offset: 0, unit: 'DAYS' };
    const amount = Number(now[2]);
    if (!Number.isSafeInteger(amount)) throw new InputError(`range end "${text}" is out of range`);
    return { kind: 'now', offset: now[1] === '-' ? -amount : amount, unit: dateUnit(now[3]!.toUpperCase(), `range end "${text}": unit`) };
  }
  const epochMs = parseDate(text, format);
  if (epochMs === undefined) throw new InputError(`range end "${text}" does not have the format "${formatText}"`);
  return { kind: 'fixed', epochMs };
}

const FIELD_LETTERS: Record<string, { field: DateField; width: number }> = {
  y: { field: 'year', width: 4 },
  M: { field: 'month', width: 2 },
  d: { field: 'day', width: 2 },
  H: { field: 'hour', width: 2 },
  m: { field: 'minute', width: 2 },
  s: { field: 'second', width: 2 },
};

/**
 * The subset of Java DateTimeFormatter patterns lethe formats and parses exactly: yyyy, MM, dd, HH,
 * mm, ss, quoted literals ('T') and any other character that is not a letter.
 */
export function parseDateFormat(text: string): DateFormatToken[] {
  const tokens: DateFormatToken[] = [];
  const literal = (t: string) => {
    const last = tokens[tokens.length - 1];
    if (last?.kind === 'literal') tokens[tokens.length - 1] = { kind: 'literal', text: last.text + t };
    else tokens.push({ kind: 'literal', text: t });
  };
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) throw new InputError(`date format "${text}" has an unclosed quote`);
      literal(close === i + 1 ? "'" : text.slice(i + 1, close));
      i = close + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(c)) {
      literal(c);
      i++;
      continue;
    }
    let run = 1;
    while (text[i + run] === c) run++;
    const known = FIELD_LETTERS[c];
    if (!known || run !== known.width) {
      throw new InputError(`date format "${text}": pattern "${c.repeat(run)}" is not supported (yyyy, MM, dd, HH, mm, ss and literals)`);
    }
    tokens.push({ kind: 'field', field: known.field });
    i += run;
  }
  return tokens;
}

const FIELD_UNITS: ReadonlyArray<[DateField, DateUnit]> = [
  ['second', 'SECONDS'],
  ['minute', 'MINUTES'],
  ['hour', 'HOURS'],
  ['day', 'DAYS'],
  ['month', 'MONTHS'],
  ['year', 'YEARS'],
];

/** The unit of the format's finest field when it is a day or coarser; undefined for sub-day formats. */
function coarsestUnitOf(format: readonly DateFormatToken[]): DateUnit | undefined {
  const fields = new Set(format.flatMap((t) => (t.kind === 'field' ? [t.field] : [])));
  const finest = FIELD_UNITS.find(([field]) => fields.has(field));
  if (!finest || ['SECONDS', 'MINUTES', 'HOURS'].includes(finest[1])) return undefined;
  return finest[1];
}

/** Formats an instant (UTC) with a parsed format. */
export function formatDate(epochMs: number, format: readonly DateFormatToken[]): string {
  const d = new Date(epochMs);
  const values: Record<DateField, number> = {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
  return format.map((t) => (t.kind === 'literal' ? t.text : String(values[t.field]).padStart(FIELD_LETTERS[letterOf(t.field)]!.width, '0'))).join('');
}

/** Parses text written with the format (UTC; missing fields take their first value), or undefined. */
export function parseDate(text: string, format: readonly DateFormatToken[]): number | undefined {
  const pattern = format.map((t) => (t.kind === 'literal' ? escapeRegExp(t.text) : `(\\d{${FIELD_LETTERS[letterOf(t.field)]!.width}})`)).join('');
  const match = new RegExp(`^${pattern}$`).exec(text);
  if (!match) return undefined;
  const values: Record<DateField, number> = { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  let group = 1;
  for (const token of format) if (token.kind === 'field') values[token.field] = Number(match[group++]);
  const epochMs = Date.UTC(values.year, values.month - 1, values.day, values.hour, values.minute, values.second);
  // Date.UTC rolls 2024-02-30 over to March; a value that does not format back was not a date.
  return formatDate(epochMs, format) === text ? epochMs : undefined;
}

function letterOf(field: DateField): string {
  return Object.entries(FIELD_LETTERS).find(([, v]) => v.field === field)![0];
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The fixed part of a location template up to its last `/` before the first placeholder: the folder holding every partition. */
export function templateRoot(template: string): string {
  const first = template.indexOf('${');
  const fixed = first < 0 ? template : template.slice(0, first);
  return fixed.slice(0, fixed.lastIndexOf('/') + 1);
}

import { InputError } from './errors';
import { describeValue, expectArray, expectNonEmptyString, expectRecord, expectString, isRecord, rejectUnknownKeys } from './fields';
import { MAPPER_ID_PATTERN } from './dataMapper';

/**
 * What a person is matched by: one value compared with every configured column it casts to, or a
 * composite of named columns that must all be equal. Values are text as the requester gave them.
 */
export type Match = { kind: 'simple'; value: string } | { kind: 'composite'; columns: Readonly<Record<string, string>> };

/** HMAC-SHA256 of a match, hex. The only form of a match ID allowed in logs, events and reports. */
export type MatchHash = string & { readonly __brand: 'MatchHash' };

export const MAX_MATCH_LENGTH = 1024;
const MAX_COMPOSITE_COLUMNS = 16;

/** A match as stored in a queue batch: a string, or `{column: value}` for a composite. */
export type MatchJson = string | Record<string, string>;

export function matchToJson(match: Match): MatchJson {
  return match.kind === 'simple' ? match.value : { ...match.columns };
}

/**
 * Parses a match ID from outside (CLI, file, console). Numbers are accepted and kept as their text.
 * The error never repeats the value: it may be personal data.
 */
export function parseMatch(input: unknown, where: string): Match {
  if (typeof input === 'number' && Number.isFinite(input)) return parseMatch(String(input), where);
  if (typeof input === 'string') return { kind: 'simple', value: checkMatchValue(input, where) };
  if (!isRecord(input)) throw new InputError(`${where}: a match ID must be a string, a number or {column: value}, got ${kindOf(input)}`);
  const names = Object.keys(input);
  if (names.length === 0) throw new InputError(`${where}: a composite match needs at least one column`);
  if (names.length > MAX_COMPOSITE_COLUMNS) throw new InputError(`${where}: a composite match has at most ${MAX_COMPOSITE_COLUMNS} columns`);
  const columns: Record<string, string> = {};
  for (const name of names.sort()) {
    if (!/^[^.\s"]+(\.[^.\s"]+)*$/.test(name)) throw new InputError(`${where}: "${name}" is not a column name or dot path`);
    const value = input[name];
    const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
    if (typeof text !== 'string') throw new InputError(`${where}: column "${name}" must have a string or number value, got ${kindOf(value)}`);
    columns[name] = checkMatchValue(text, `${where}: column "${name}"`);
  }
  return { kind: 'composite', columns };
}

function checkMatchValue(value: string, where: string): string {
  if (value.trim().length === 0) throw new InputError(`${where}: a match ID must not be empty or blank`);
  if (value.length > MAX_MATCH_LENGTH) throw new InputError(`${where}: a match ID has at most ${MAX_MATCH_LENGTH} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new InputError(`${where}: a match ID must not contain control characters`);
  return value;
}

function kindOf(value: unknown): string {
  return typeof value === 'string' ? 'a string' : describeValue(value);
}

/** One entry of the deletion queue, as stored in queue/<batchId>.jsonl. */
export interface QueueItem {
  /** `<batchId>.<n>`: sortable by enqueue time. */
  id: string;
  match: Match;
  /** Limit the match to these mappers; absent means every mapper. */
  mappers?: string[];
  createdAt: string;
}

/** An ISO 8601 UTC time, as Date#toISOString writes it (fraction optional). */
const ISO_UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/**
 * A queue line in the form lethe writes (a simple match, no mappers, no escapes, keys in enqueue's
 * order), for which JSON.parse and parseQueueItem would give exactly these parts: read with one
 * regular expression instead, a million lines cost no parse tree. The id's form is the batch's to check.
 */
const WRITTEN_QUEUE_LINE = /^\{"id":"([^"\\\u0000-\u001f]+)","match":"([^"\\\u0000-\u001f\u007f]+)","createdAt":"([^"\\\u0000-\u001f]+)"\}$/;

/**
 * The item of a line enqueue wrote, every check of parseQueueItem passed; undefined for any other
 * line (JSON.parse and parseQueueItem then give the item or the error).
 */
export function parseWrittenQueueLine(line: string): QueueItem | undefined {
  const parts = WRITTEN_QUEUE_LINE.exec(line);
  if (!parts) return undefined;
  const [, id, value, createdAt] = parts as unknown as [string, string, string, string];
  if (value.length > MAX_MATCH_LENGTH || value.trim().length === 0 || !isIsoUtcTime(createdAt)) return undefined;
  return { id, match: { kind: 'simple', value }, createdAt };
}

/** One batch's items share their createdAt: the last time accepted is not parsed again. */
let lastIsoUtcTime = '';

function isIsoUtcTime(text: string): boolean {
  if (text === lastIsoUtcTime) return true;
  if (!ISO_UTC_TIME.test(text) || Number.isNaN(Date.parse(text))) return false;
  lastIsoUtcTime = text;
  return true;
}

export function parseQueueItem(input: unknown, where: string): QueueItem {
  const record = expectRecord(input, where);
  rejectUnknownKeys(record, ['id', 'match', 'mappers', 'createdAt'], where);
  checkStoredMatchIsText(record.match, `${where}.match`);
  const createdAt = expectNonEmptyString(record.createdAt, `${where}.createdAt`);
  if (!isIsoUtcTime(createdAt)) {
    throw new InputError(`${where}.createdAt: expected an ISO 8601 UTC time such as 2026-12-02T03:15:00.000Z`);
  }
  const mappers =
    record.mappers === undefined
      ? undefined
      : expectArray(record.mappers, `${where}.mappers`).map((m, i) => {
          const id = expectString(m, `${where}.mappers[${i}]`);
          if (!MAPPER_ID_PATTERN.test(id)) throw new InputError(`${where}.mappers[${i}]: "${id}" is not a mapper id`);
          return id;
        });
  return {
    id: expectNonEmptyString(record.id, `${where}.id`),
    match: parseMatch(record.match, `${where}.match`),
    ...(mappers ? { mappers } : {}),
    createdAt,
  };
}

/**
 * A stored match keeps the requester's text, so its values are JSON strings: a JSON number is
 * rounded by JSON.parse beyond 2^53, and the rounded ID is another person's.
 */
function checkStoredMatchIsText(match: unknown, where: string): void {
  const numeric = typeof match === 'number' ? where : isRecord(match) ? Object.keys(match).find((column) => typeof match[column] === 'number') : undefined;
  if (numeric === undefined) return;
  throw new InputError(`${numeric === where ? where : `${where}: column "${numeric}"`}: a stored match ID must be a JSON string, got a number`);
}

/**
 * A queue item from a line parseQueueItem has already accepted (the same bytes, by ETag): the job's
 * find reads the batches its snapshot checked, and a million items need not be checked twice.
 */
export function queueItemFromCheckedJson(json: unknown): QueueItem {
  const record = json as { id: string; match: string | Record<string, string>; mappers?: string[]; createdAt: string };
  const match: Match = typeof record.match === 'string' ? { kind: 'simple', value: record.match } : { kind: 'composite', columns: sortedColumns(record.match) };
  return { id: record.id, match, ...(record.mappers ? { mappers: record.mappers } : {}), createdAt: record.createdAt };
}

/** Columns in name order, as parseMatch keeps them. */
function sortedColumns(columns: Record<string, string>): Record<string, string> {
  const sorted: Record<string, string> = {};
  for (const name of Object.keys(columns).sort()) sorted[name] = columns[name]!;
  return sorted;
}

export function queueItemToJson(item: QueueItem): Record<string, unknown> {
  return { id: item.id, match: matchToJson(item.match), ...(item.mappers ? { mappers: item.mappers } : {}), createdAt: item.createdAt };
}

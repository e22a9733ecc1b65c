import { isLosslessNumber, parse as parseLosslessJson } from 'lossless-json';
import { InputError } from '../model/errors';
import { isRecord } from '../model/fields';
import { parseMatch } from '../model/match';
import { NewQueueItem } from './deletionQueue';

export type MatchFileFormat = 'txt' | 'csv' | 'jsonl';

export function matchFileFormat(fileName: string): MatchFileFormat {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson') || lower.endsWith('.json')) return 'jsonl';
  return 'txt';
}

/**
 * Match IDs from a file: txt (one ID a line; blank lines and # comments skipped), csv (a header;
 * one column gives simple IDs, several give composite matches), jsonl (a value, {column: value},
 * or {match, mappers}). Errors name the line, never the value.
 */
export function parseMatchFile(text: string, format: MatchFileFormat, fileName: string, mappers?: string[]): NewQueueItem[] {
  const withMappers = (item: NewQueueItem): NewQueueItem => (mappers && !item.mappers ? { ...item, mappers } : item);
  const lines = text.split(/\r?\n/);
  const items: NewQueueItem[] = [];
  if (format === 'txt') {
    lines.forEach((line, i) => {
      const value = line.trim();
      const where = `${fileName} line ${i + 1}`;
      if (value.length > 0 && !value.startsWith('#')) items.push(withMappers({ match: parseMatch(value, where), where }));
    });
  } else if (format === 'jsonl') {
    lines.forEach((line, i) => {
      if (line.trim().length === 0) return;
      const where = `${fileName} line ${i + 1}`;
      let value: unknown;
      try {
        value = parseLosslessJson(line);
      } catch {
        throw new InputError(`${where}: not valid JSON`);
      }
      items.push(withMappers({ ...parseJsonMatch(value, where), where }));
    });
  } else {
    const rows = lines.filter((line) => line.trim().length > 0).map(splitCsvLine);
    const header = rows.shift();
    if (!header || header.length === 0) throw new InputError(`${fileName}: a CSV file needs a header row naming its columns`);
    rows.forEach((cells, i) => {
      const where = `${fileName} row ${i + 2}`;
      if (cells.length !== header.length) throw new InputError(`${where}: ${cells.length} fields, the header has ${header.length}`);
      const match = header.length === 1 ? cells[0] : Object.fromEntries(header.map((name, j) => [name, cells[j]]));
      items.push(withMappers({ match: parseMatch(match, where), where }));
    });
  }
  if (items.length === 0) throw new InputError(`${fileName}: no match IDs in the file`);
  return items;
}

function parseJsonMatch(value: unknown, where: string): NewQueueItem {
  if (isRecord(value) && 'match' in value) {
    const mappers = value.mappers;
    if (mappers !== undefined && !(Array.isArray(mappers) && mappers.every((m) => typeof m === 'string'))) throw new InputError(`${where}: "mappers" must be a list of mapper ids`);
    return { match: parseMatch(numbersAsWritten(value.match), where), ...(mappers ? { mappers: mappers as string[] } : {}) };
  }
  return { match: parseMatch(numbersAsWritten(value), where) };
}

/**
 * A JSON number in a match keeps the digits it was written with: JSON.parse would make
 * 9007199254740993 into 9007199254740992, another person's id.
 */
function numbersAsWritten(value: unknown): unknown {
  if (isLosslessNumber(value)) return value.value;
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([name, v]) => [name, numbersAsWritten(v)]));
  return value;
}

/** One CSV record on one line: commas, double-quoted fields, "" for a quote inside. */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells.map((c) => c.trim());
}

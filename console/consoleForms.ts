import { DataMapper } from '../shared/model/dataMapper';
import { InputError } from '../shared/model/errors';
import { parseMatch } from '../shared/model/match';
import { NewQueueItem } from '../shared/queue/deletionQueue';
import { checkMatchesFitMappers } from '../shared/queue/checkMatchesFitMappers';
import { parseMatchFile } from '../shared/queue/parseMatchFile';

/**
 * Form bodies parsed where they enter. Errors name the field or line, never the value: a match ID
 * is personal data and must not come back in a page.
 */
export const MAX_FORM_BYTES = 256 * 1024;
const MAX_ITEMS_PER_FORM = 10_000;
const QUEUE_ITEM_ID = /^[0-9]{8}T[0-9]{9}Z-[a-f0-9]{6}\.[0-9]+$/;

/** The mapper checkboxes: none ticked means every mapper. */
export function parseMapperChoice(form: URLSearchParams, mappers: readonly DataMapper[]): string[] | undefined {
  const chosen = form.getAll('mapper');
  for (const id of chosen) {
    if (!mappers.some((m) => m.id === id)) throw new InputError(`mapper "${id.slice(0, 64)}": no such data mapper`);
  }
  return chosen.length > 0 ? [...new Set(chosen)] : undefined;
}

/** The simple form: one match ID a line (blank lines and # comments skipped, as in a .txt file). */
export function parseSimpleEnqueueForm(form: URLSearchParams, mappers: readonly DataMapper[]): NewQueueItem[] {
  const chosen = parseMapperChoice(form, mappers);
  const items = parseMatchFile(form.get('ids') ?? '', 'txt', 'match IDs', chosen);
  if (items.length === 0) throw new InputError('match IDs: give at least one, one a line');
  if (items.length > MAX_ITEMS_PER_FORM) throw new InputError(`match IDs: at most ${MAX_ITEMS_PER_FORM} in one form; use lethe enqueue --file for more`);
  checkMatchesFitMappers(items, mappers);
  return items;
}

/** The composite form: column/value pairs (repeated fields); empty rows are left out. */
export function parseCompositeEnqueueForm(form: URLSearchParams, mappers: readonly DataMapper[]): NewQueueItem {
  const chosen = parseMapperChoice(form, mappers);
  const names = form.getAll('column');
  const values = form.getAll('value');
  if (names.length !== values.length) throw new InputError('composite match: each column needs a value field');
  const columns: Record<string, string> = {};
  names.forEach((rawName, i) => {
    const name = rawName.trim();
    const value = values[i] ?? '';
    if (name === '' && value === '') return;
    if (name === '') throw new InputError(`composite match row ${i + 1}: name the column`);
    if (columns[name] !== undefined) throw new InputError(`composite match: column "${name.slice(0, 64)}" is given twice`);
    columns[name] = value;
  });
  if (Object.keys(columns).length < 2) throw new InputError('composite match: give at least two columns (one column is a simple match)');
  const item: NewQueueItem = { match: parseMatch(columns, 'composite match'), where: 'composite match', ...(chosen ? { mappers: chosen } : {}) };
  checkMatchesFitMappers([item], mappers);
  return item;
}

/** Queue item ids from the remove form's checkboxes. */
export function parseQueueItemIds(form: URLSearchParams): string[] {
  const ids = form.getAll('item');
  if (ids.length === 0) throw new InputError('remove: tick at least one queue item');
  for (const id of ids) if (!QUEUE_ITEM_ID.test(id)) throw new InputError(`remove: "${id.slice(0, 40)}" is not a queue item id`);
  return [...new Set(ids)];
}

/** ?offset=&limit= of a paged list. */
export function parsePage(url: URL, defaultLimit: number): { offset: number; limit: number } {
  const read = (name: string, fallback: number, min: number, max: number) => {
    const text = url.searchParams.get(name);
    if (text === null || text === '') return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) throw new InputError(`${name}: expected a whole number from ${min} to ${max}`);
    return value;
  };
  return { offset: read('offset', 0, 0, Number.MAX_SAFE_INTEGER), limit: read('limit', defaultLimit, 1, 500) };
}

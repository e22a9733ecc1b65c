import { DataMapper, sameColumnName } from '../model/dataMapper';
import { InputError } from '../model/errors';
import { NewQueueItem } from './deletionQueue';

const MAX_PROBLEMS_SHOWN = 5;

/**
 * Refuses, before anything is queued, matches no job could apply as asked: a mapper named that the
 * config does not have; a composite naming a column a mapper it names does not declare; a
 * composite without named mappers whose columns no mapper declares all of. Column names compare
 * case-insensitively, as find resolves them. One InputError on one line lists the problems, naming
 * items and columns, never a value.
 */
export function checkMatchesFitMappers(items: readonly NewQueueItem[], mappers: readonly DataMapper[]): void {
  const problems: string[] = [];
  items.forEach((item, index) => {
    const where = item.where ?? `match ID #${index + 1}`;
    const targeted: DataMapper[] = [];
    for (const id of item.mappers ?? []) {
      const mapper = mappers.find((m) => m.id === id);
      if (mapper) targeted.push(mapper);
      else problems.push(`${where}: no such data mapper "${id}" (configured: ${mappers.map((m) => m.id).join(', ') || 'none'})`);
    }
    if (item.match.kind !== 'composite') return;
    const columns = Object.keys(item.match.columns);
    if (item.mappers) {
      for (const mapper of targeted) {
        const undeclared = undeclaredColumns(columns, mapper);
        if (undeclared.length > 0) problems.push(`${where}: mapper "${mapper.id}" does not declare ${undeclared.length === 1 ? 'column' : 'columns'} ${undeclared.map((c) => `"${c}"`).join(', ')} (declared: ${mapper.columns.join(', ')})`);
      }
    } else if (!mappers.some((mapper) => undeclaredColumns(columns, mapper).length === 0)) {
      problems.push(`${where}: no data mapper declares all its columns (${columns.join(', ')}); declared: ${mappers.map((m) => `${m.id} [${m.columns.join(', ')}]`).join(', ')}`);
    }
  });
  if (problems.length === 0) return;
  const more = problems.length > MAX_PROBLEMS_SHOWN ? `; and ${problems.length - MAX_PROBLEMS_SHOWN} more` : '';
  throw new InputError(`${problems.slice(0, MAX_PROBLEMS_SHOWN).join('; ')}${more}`);
}

function undeclaredColumns(columns: readonly string[], mapper: DataMapper): string[] {
  return columns.filter((name) => !mapper.columns.some((declared) => sameColumnName(declared, name)));
}

import { Column, ColumnType, ResolvedColumn, describeColumnType, isMatchableType } from '../model/columnType';
import { DataMapper } from '../model/dataMapper';
import { InputError } from '../model/errors';
import { TableDescription } from '../ports/Catalog';

/**
 * Resolves a dot path (`user.email`) against the table's columns, case-insensitively as Athena and
 * Glue do, returning the names as the data spells them. InputError when the path does not exist or
 * ends on a type that cannot hold an identifier.
 */
export function resolveColumnPath(configured: string, table: TableDescription, mapperId: string): ResolvedColumn {
  const names = configured.split('.');
  let fields: Column[] = table.columns;
  const path: string[] = [];
  let type: ColumnType | undefined;
  for (const [depth, name] of names.entries()) {
    const field = fields.find((f) => f.name === name) ?? fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
    if (!field) {
      const where = depth === 0 ? table.location : `struct ${path.join('.')}`;
      throw new InputError(`mapper "${mapperId}": column "${configured}" not found in ${where}`, { mapperId });
    }
    path.push(field.name);
    type = field.type;
    if (depth < names.length - 1) {
      if (field.type.kind !== 'struct') throw new InputError(`mapper "${mapperId}": column "${path.join('.')}" is not a struct, so "${configured}" does not exist`, { mapperId });
      fields = field.type.fields;
    }
  }
  if (!type || !isMatchableType(type)) {
    throw new InputError(`mapper "${mapperId}": column "${configured}" has type ${type ? describeColumnType(type) : 'unknown'}, which cannot hold a match ID (use strings, integers, decimals, floats, dates, timestamps or booleans)`, { mapperId });
  }
  return { configured, path, type };
}

/** Resolves every configured column of a mapper, reporting all problems at once. */
export function resolveMapperColumns(mapper: DataMapper, table: TableDescription): ResolvedColumn[] {
  const problems: string[] = [];
  const resolved: ResolvedColumn[] = [];
  for (const column of mapper.columns) {
    try {
      resolved.push(resolveColumnPath(column, table, mapper.id));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length > 0) throw new InputError(problems.join('\n'), { mapperId: mapper.id });
  return resolved;
}

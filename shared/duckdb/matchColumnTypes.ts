import { ResolvedColumn } from '../model/columnType';
import { duckDbTypeName } from './duckDbTypeName';
import { quoteIdentifier } from './sqlText';

interface TypeTree {
  type?: string;
  fields: Map<string, TypeTree>;
}

/**
 * The top-level columns that hold the match columns, each with the DuckDB type to read it as: a
 * dot path becomes a struct holding only the path (`user` -> `STRUCT("email" VARCHAR)`). A JSON
 * reader given these reads exactly the match columns with the job's types; a column or field absent
 * from a line is NULL.
 */
export function matchColumnTypes(columns: readonly ResolvedColumn[]): Array<{ name: string; type: string }> {
  const root: TypeTree = { fields: new Map() };
  for (const column of columns) {
    let node = root;
    for (const name of column.path) {
      const child = node.fields.get(name) ?? { fields: new Map() };
      node.fields.set(name, child);
      node = child;
    }
    node.type = duckDbTypeName(column.type);
  }
  const typeOf = (node: TypeTree): string =>
    node.type ?? `STRUCT(${[...node.fields].map(([name, child]) => `${quoteIdentifier(name)} ${typeOf(child)}`).join(', ')})`;
  return [...root.fields].map(([name, node]) => ({ name, type: typeOf(node) }));
}

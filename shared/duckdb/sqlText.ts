/** Quotes a SQL identifier for DuckDB and Trino alike: "a""b". */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A string literal for values lethe controls (file paths, job and mapper ids), never match IDs. */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** `t."user"."email"`: a dot path into structs, each level quoted. */
export function columnReference(alias: string, path: readonly string[]): string {
  return [alias, ...path.map(quoteIdentifier)].join('.');
}

/** Above this many runs of deleted rows, the filter would be slower than sorting the survivors. */
export const MAX_DELETED_RUNS = 1000;

/**
 * The WHERE (and maybe ORDER BY) that keeps the rows of `alias` not in `deleted` (sorted row
 * numbers from read_parquet's file_row_number), in file order.
 *
 * Row order is part of what a reader sees. DuckDB keeps scan order through a filter, but not through
 * the join the match predicate becomes (it may build its hash table on the file's side), so the
 * COPY filters by row number instead: row numbers are positions, not match IDs, and may be in SQL.
 * Many scattered deletions fall back to the predicate and a sort by row number, which spills to disk.
 */
export function buildKeepRowsClause(deleted: readonly number[], predicate: string, alias: string): string {
  const rowNumber = `${alias}.file_row_number`;
  const runs: [number, number][] = [];
  for (const n of deleted) {
    const last = runs[runs.length - 1];
    if (last && last[1] === n - 1) last[1] = n;
    else runs.push([n, n]);
  }
  if (runs.length > MAX_DELETED_RUNS) return `WHERE NOT (${predicate}) ORDER BY ${rowNumber}`;
  if (runs.length === 0) return '';
  const ranges = runs.map(([from, to]) => (from === to ? `${rowNumber} = ${from}` : `${rowNumber} BETWEEN ${from} AND ${to}`));
  return `WHERE NOT (${ranges.join(' OR ')})`;
}

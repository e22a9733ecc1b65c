/**
 * Above this many deleted rows, the row-number list makes the SQL text slow to parse (about 0.5 s
 * per 30,000 numbers), and sorting the survivors is the cheaper way to keep their order.
 */
export const MAX_BITMAP_ROWS = 50_000;

/** get_bit takes an INTEGER index, so the bitmap spans fewer rows than 2^31. */
const MAX_BITMAP_SPAN = 2 ** 31 - 1;

/**
 * The WHERE (and maybe ORDER BY) that keeps the rows of `alias` not in `deleted` (sorted row
 * numbers from read_parquet's file_row_number), in file order.
 *
 * Row order is part of what a reader sees. DuckDB keeps scan order through a filter, but not through
 * the join the match predicate becomes (it may build its hash table on the file's side), so the
 * COPY filters by row number instead: row numbers are positions, not match IDs, and may be in SQL.
 * The deleted rows become one constant bitmap (bitstring_agg over the listed numbers, folded once
 * when the query is planned) and each row costs one get_bit: an OR of one comparison per deleted
 * row cost a comparison per deleted row per row, and an IN list of thousands of numbers is no
 * faster. Very many deletions fall back to the predicate and a sort by row number, which spills.
 */
export function buildKeepRowsClause(deleted: readonly number[], predicate: string, alias: string): string {
  const rowNumber = `${alias}.file_row_number`;
  if (deleted.length === 0) return '';
  const first = deleted[0]!;
  const last = deleted[deleted.length - 1]!;
  if (deleted.length > MAX_BITMAP_ROWS || last - first >= MAX_BITMAP_SPAN) return `WHERE NOT (${predicate}) ORDER BY ${rowNumber}`;
  const bitmap = `list_aggregate([${deleted.join(', ')}]::BIGINT[], 'bitstring_agg', ${first}, ${last})`;
  // CASE, not AND: DuckDB may evaluate both sides of an AND, and get_bit fails outside the bitmap.
  return `WHERE CASE WHEN ${rowNumber} BETWEEN ${first} AND ${last} THEN get_bit(${bitmap}, (${rowNumber} - ${first})::INTEGER) ELSE 0 END = 0`;
}

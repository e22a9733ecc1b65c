/** A row group that holds at least one deleted row, with those rows counted from its own first row. */
export interface TouchedRowGroup {
  index: number;
  /** Rows before this group, i.e. the file row number of its first row. */
  firstRow: number;
  rows: number;
  /** Sorted, relative to firstRow. */
  deletedRows: number[];
}

export type ParquetRewritePlan = { kind: 'splice'; touched: TouchedRowGroup[] } | { kind: 'full' };

/**
 * Re-encoding touched groups costs about their share of a full rewrite, plus copying the rest byte
 * for byte and comparing it; once the touched groups hold half the rows, one full COPY is cheaper.
 */
export const MAX_SPLICE_TOUCHED_SHARE = 0.5;

/**
 * Splice or full rewrite, from the footer's row counts per row group and the sorted file row numbers
 * of the deleted rows. A file of one row group, or one whose touched groups hold more than
 * MAX_SPLICE_TOUCHED_SHARE of its rows, is rewritten whole.
 */
export function planRowGroupSplice(rowGroupRows: readonly number[], deletedRows: readonly number[]): ParquetRewritePlan {
  const touched: TouchedRowGroup[] = [];
  let group = 0;
  let firstRow = 0;
  for (const row of deletedRows) {
    while (group < rowGroupRows.length && row >= firstRow + rowGroupRows[group]!) firstRow += rowGroupRows[group++]!;
    if (group === rowGroupRows.length) throw new RangeError(`deleted row ${row} is past the file's ${firstRow} rows`);
    const last = touched[touched.length - 1];
    if (last?.index === group) last.deletedRows.push(row - firstRow);
    else touched.push({ index: group, firstRow, rows: rowGroupRows[group]!, deletedRows: [row - firstRow] });
  }
  const totalRows = rowGroupRows.reduce((sum, rows) => sum + rows, 0);
  const touchedRows = touched.reduce((sum, group) => sum + group.rows, 0);
  if (touched.length === 0 || rowGroupRows.length < 2 || touchedRows > totalRows * MAX_SPLICE_TOUCHED_SHARE) return { kind: 'full' };
  return { kind: 'splice', touched };
}

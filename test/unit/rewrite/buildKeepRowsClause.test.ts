import assert from 'node:assert/strict';
import { DuckDBInstance } from '@duckdb/node-api';
import { MAX_BITMAP_ROWS, buildKeepRowsClause } from '../../../shared/rewrite/buildKeepRowsClause';

describe('buildKeepRowsClause', () => {
  it('keeps every row but the listed row numbers, in scan order, at the edges too', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      // file_row_number as a range stands in for read_parquet's column: the clause only reads t.file_row_number.
      const cases: number[][] = [[0], [9_999], [0, 1, 2, 500, 9_999], [17], Array.from({ length: 3000 }, (_, i) => i * 3 + 1)];
      for (const deleted of cases) {
        const clause = buildKeepRowsClause(deleted, 'false', 't');
        const result = await connection.runAndReadAll(`SELECT list(t.file_row_number) AS kept FROM (SELECT range AS file_row_number FROM range(10000)) t ${clause}`);
        const kept = (result.getRowObjectsJS()[0]?.kept as bigint[]).map(Number);
        const gone = new Set(deleted);
        assert.deepEqual(kept, Array.from({ length: 10_000 }, (_, i) => i).filter((i) => !gone.has(i)), `deleting ${deleted.length} rows from ${deleted[0]}`);
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('keeps nothing out when nothing is deleted, and sorts by row number past the bitmap limit', () => {
    assert.equal(buildKeepRowsClause([], 'p', 't'), '');
    const many = Array.from({ length: MAX_BITMAP_ROWS + 1 }, (_, i) => i * 2);
    assert.equal(buildKeepRowsClause(many, 'p', 't'), 'WHERE NOT (p) ORDER BY t.file_row_number');
  });
});

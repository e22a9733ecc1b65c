import assert from 'node:assert/strict';
import fc from 'fast-check';
import { planRowGroupSplice } from '../../../shared/parquet/planRowGroupSplice';

describe('planRowGroupSplice', () => {
  it('puts each deleted row in the one row group whose rows hold it, and no group twice (random files)', () => {
    const file = fc
      .array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 12 })
      .chain((groups) => {
        const total = groups.reduce((sum, rows) => sum + rows, 0);
        return fc.tuple(fc.constant(groups), fc.uniqueArray(fc.integer({ min: 0, max: total - 1 }), { maxLength: 20 }));
      });
    fc.assert(
      fc.property(file, ([groups, rows]) => {
        const deleted = [...rows].sort((a, b) => a - b);
        const plan = planRowGroupSplice(groups, deleted);
        if (plan.kind === 'full') return;
        const starts = groups.map((_, i) => groups.slice(0, i).reduce((sum, n) => sum + n, 0));
        assert.deepEqual(plan.touched.flatMap((group) => group.deletedRows.map((row) => group.firstRow + row)), deleted);
        assert.equal(new Set(plan.touched.map((group) => group.index)).size, plan.touched.length);
        for (const group of plan.touched) {
          assert.equal(group.firstRow, starts[group.index]);
          assert.equal(group.rows, groups[group.index]);
          assert.ok(group.deletedRows.every((row) => row >= 0 && row < group.rows));
        }
      }),
    );
  });

  it('splices one match among 60 row groups; rewrites whole a file of one group, or one whose touched groups hold over half its rows', () => {
    const sixty = Array<number>(60).fill(100_000);
    assert.deepEqual(planRowGroupSplice(sixty, [3_456_789]), { kind: 'splice', touched: [{ index: 34, firstRow: 3_400_000, rows: 100_000, deletedRows: [56_789] }] });
    assert.deepEqual(planRowGroupSplice([1000], [5]), { kind: 'full' });
    assert.deepEqual(planRowGroupSplice([10, 10, 10], [0, 15]), { kind: 'full' });
    assert.equal(planRowGroupSplice([10, 10, 10, 10], [0, 15]).kind, 'splice');
  });

  it('refuses a row number past the footer row count', () => {
    assert.throws(() => planRowGroupSplice([10, 10], [20]), { name: 'RangeError', message: /deleted row 20 is past the file's 20 rows/ });
  });
});

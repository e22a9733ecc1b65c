import assert from 'node:assert/strict';
import { planRowGroupPlacement } from '../../../shared/parquet/planRowGroupPlacement';
import { RowGroupPlace } from '../../../shared/parquet/readRowGroupPlaces';

function place(offset: number, length: number, extras: Partial<RowGroupPlace['chunks'][number]> = {}): RowGroupPlace {
  return { rowGroup: { type: 'struct', fields: [] }, rows: 1, span: { offset, length }, chunks: [{ chunk: { type: 'struct', fields: [] }, pages: { offset, length }, ...extras }] };
}

describe('planRowGroupPlacement', () => {
  it('without a base, packs the pieces after the magic', () => {
    assert.deepEqual(planRowGroupPlacement([{ place: place(500, 10), fromBase: false }, { place: place(4, 20), fromBase: false }]), { positions: [4, 14], zeroed: [], dataEnd: 34 });
  });

  it('keeps base groups in place, fills a dropped group\'s hole (span and the gap after it), zeroes the rest of it', () => {
    // Base: groups at 4+100 (gap of 6 after it), 110+100, 210+50.
    const base = [place(4, 100), place(110, 100, { columnIndex: { offset: 150, length: 5 } }), place(210, 50)];
    const smaller = place(4, 80);
    const plan = planRowGroupPlacement([{ place: base[0]!, fromBase: true }, { place: smaller, fromBase: false }, { place: base[2]!, fromBase: true }], base);
    assert.deepEqual(plan, { positions: [4, 110, 210], zeroed: [{ offset: 190, length: 20 }], dataEnd: 260 });
  });

  it('appends a piece too big for any hole after the last group and zeroes the whole hole, and the dropped group\'s index outside it', () => {
    const base = [place(4, 100), place(104, 100, { offsetIndex: { offset: 300, length: 8 }, columnIndex: { offset: 20, length: 4 } }), place(204, 50)];
    const bigger = place(4, 120);
    const plan = planRowGroupPlacement([{ place: base[0]!, fromBase: true }, { place: bigger, fromBase: false }, { place: base[2]!, fromBase: true }], base);
    // The offset index at 300 lies past the groups' end (254): the footer rewrite overwrites or truncates it.
    assert.deepEqual(plan, { positions: [4, 254, 204], zeroed: [{ offset: 104, length: 100 }, { offset: 20, length: 4 }], dataEnd: 374 });
  });

  it('merges the holes of neighbouring dropped groups, and ends the data before dropped last groups', () => {
    const base = [place(4, 100), place(104, 100), place(204, 100)];
    const plan = planRowGroupPlacement([{ place: place(4, 150), fromBase: false }, { place: base[2]!, fromBase: true }], base);
    assert.deepEqual(plan, { positions: [4, 204], zeroed: [{ offset: 154, length: 50 }], dataEnd: 304 });
    // Dropped last groups leave nothing behind: the footer follows the first group.
    assert.deepEqual(planRowGroupPlacement([{ place: base[0]!, fromBase: true }], base), { positions: [4], zeroed: [], dataEnd: 104 });
  });
});

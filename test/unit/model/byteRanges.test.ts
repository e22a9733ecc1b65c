import assert from 'node:assert/strict';
import fc from 'fast-check';
import { intersectRanges, mergeRanges, rangesCovered, subtractRanges } from '../../../shared/model/byteRanges';

/** Ranges as the set of byte offsets they cover: the expectation, computed byte by byte. */
function bytesOf(ranges: readonly { offset: number; length: number }[]): Set<number> {
  const bytes = new Set<number>();
  for (const range of ranges) for (let i = range.offset; i < range.offset + range.length; i++) bytes.add(i);
  return bytes;
}

const ranges = fc.array(fc.record({ offset: fc.nat(200), length: fc.nat(40) }), { maxLength: 8 });

describe('byte ranges', () => {
  it('merge, subtract and intersect cover exactly the bytes set arithmetic says, sorted and disjoint', () => {
    fc.assert(
      fc.property(ranges, ranges, (a, b) => {
        const [setA, setB] = [bytesOf(a), bytesOf(b)];
        const cases: [ReturnType<typeof mergeRanges>, Set<number>][] = [
          [mergeRanges(a), setA],
          [subtractRanges(a, b), new Set([...setA].filter((x) => !setB.has(x)))],
          [intersectRanges(a, b), new Set([...setA].filter((x) => setB.has(x)))],
        ];
        for (const [result, expected] of cases) {
          assert.deepEqual([...bytesOf(result)].sort((x, y) => x - y), [...expected].sort((x, y) => x - y));
          result.forEach((range, i) => {
            assert.ok(range.length > 0);
            if (i > 0) assert.ok(range.offset > result[i - 1]!.offset + result[i - 1]!.length, 'disjoint and not touching');
          });
        }
        assert.equal(rangesCovered(a, b), [...setA].every((x) => setB.has(x)));
      }),
    );
  });

  it('joins ranges closer than the gap, counting the gap as covered', () => {
    assert.deepEqual(mergeRanges([{ offset: 10, length: 5 }, { offset: 0, length: 4 }, { offset: 30, length: 1 }], 6), [
      { offset: 0, length: 15 },
      { offset: 30, length: 1 },
    ]);
  });
});

import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MIN_PART_BYTES, planSplicedUpload } from '../../../shared/adapters/aws/planSplicedUpload';

const MiB = 1024 * 1024;

describe('planSplicedUpload', () => {
  it('covers the file in order with parts S3 accepts, copying only unchanged bytes (random files)', () => {
    const file = fc.integer({ min: 1, max: 200 * MiB }).chain((size) =>
      fc.tuple(
        fc.constant(size),
        fc.uniqueArray(fc.integer({ min: 0, max: size }), { maxLength: 12 }).map((cuts) => {
          // Alternate cut points into disjoint unchanged ranges.
          const sorted = [...cuts].sort((a, b) => a - b);
          const ranges = [];
          for (let i = 0; i + 1 < sorted.length; i += 2) ranges.push({ offset: sorted[i]!, length: sorted[i + 1]! - sorted[i]! });
          return ranges;
        }),
      ),
    );
    fc.assert(
      fc.property(file, ([size, unchanged]) => {
        const parts = planSplicedUpload(size, unchanged, 16 * MiB);
        let at = 0;
        parts.forEach((part, i) => {
          assert.equal(part.offset, at);
          assert.ok(part.length > 0);
          if (i < parts.length - 1) assert.ok(part.length >= MIN_PART_BYTES, `part ${i} of ${part.length} bytes`);
          if (part.kind === 'upload') assert.ok(part.length <= 16 * MiB);
          else assert.ok(unchanged.some((range) => part.offset >= range.offset && part.offset + part.length <= range.offset + range.length), 'copies only unchanged bytes');
          at += part.length;
        });
        assert.equal(at, size);
      }),
    );
  });

  it('copies one kept range around a changed MiB, padding the upload to 5 MiB from the copy after it', () => {
    assert.deepEqual(planSplicedUpload(30 * MiB, [{ offset: 0, length: 12 * MiB }, { offset: 13 * MiB, length: 17 * MiB }], 16 * MiB), [
      { kind: 'copy', offset: 0, length: 12 * MiB },
      { kind: 'upload', offset: 12 * MiB, length: 5 * MiB },
      { kind: 'copy', offset: 17 * MiB, length: 13 * MiB },
    ]);
    // Unchanged ranges too small to be a part are uploaded.
    assert.deepEqual(planSplicedUpload(8 * MiB, [{ offset: 0, length: 4 * MiB }], 16 * MiB), [{ kind: 'upload', offset: 0, length: 8 * MiB }]);
  });
});

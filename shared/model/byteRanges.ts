/** [offset, offset + length) of a file or object (the same shape as the ports' and the Parquet reader's ByteRange). */
export interface Span {
  offset: number;
  length: number;
}

/** Sorted, without empty ranges, overlapping or touching ranges joined; ranges closer than `gap` bytes are joined too. */
export function mergeRanges(ranges: readonly Span[], gap = 0): Span[] {
  const sorted = ranges.filter((range) => range.length > 0).sort((a, b) => a.offset - b.offset);
  const merged: Span[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    const end = range.offset + range.length;
    if (last && range.offset <= last.offset + last.length + gap) last.length = Math.max(last.length, end - last.offset);
    else merged.push({ offset: range.offset, length: range.length });
  }
  return merged;
}

/** The parts of `ranges` that none of `minus` covers, sorted and merged. */
export function subtractRanges(ranges: readonly Span[], minus: readonly Span[]): Span[] {
  const cut = mergeRanges(minus);
  const left: Span[] = [];
  for (const range of mergeRanges(ranges)) {
    let at = range.offset;
    const end = range.offset + range.length;
    for (const hole of cut) {
      const holeEnd = hole.offset + hole.length;
      if (holeEnd <= at || hole.offset >= end) continue;
      if (hole.offset > at) left.push({ offset: at, length: hole.offset - at });
      at = Math.max(at, holeEnd);
    }
    if (at < end) left.push({ offset: at, length: end - at });
  }
  return left;
}

/** The parts of `ranges` that `within` covers, sorted and merged. */
export function intersectRanges(ranges: readonly Span[], within: readonly Span[]): Span[] {
  const outside = subtractRanges(ranges, within);
  return subtractRanges(ranges, outside);
}

/** Whether every byte of `ranges` lies in `within`. */
export function rangesCovered(ranges: readonly Span[], within: readonly Span[]): boolean {
  return subtractRanges(ranges, within).length === 0;
}

export function totalLength(ranges: readonly Span[]): number {
  return ranges.reduce((sum, range) => sum + range.length, 0);
}

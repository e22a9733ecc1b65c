import { ByteRange, RowGroupPlace } from './readRowGroupPlaces';

export interface PlacedPiece {
  place: RowGroupPlace;
  /** True for a row group of the base file, which stays where it is. */
  fromBase: boolean;
}

export interface RowGroupPlacement {
  /** Output offset of each piece's span, in piece order. */
  positions: number[];
  /** Bytes of the base's dropped row groups that no piece overwrote: they must be zeroed. */
  zeroed: ByteRange[];
  /** Where the row groups end; page indexes, bloom filters and the footer follow. */
  dataEnd: number;
}

/**
 * Where each output row group goes. Without a base, one after another after the magic. With a base
 * (the output starts as a copy of it), its kept row groups stay in place; a dropped group leaves a
 * hole (its span and any gap up to the next group: inline column metadata some writers put there),
 * filled by the new pieces that fit, first fit in order, the rest appended after the last group. What
 * is left of a hole, and the dropped groups' indexes and bloom filters before the data end, are
 * zeroed: parquet-mr pads between row groups the same way, and no byte of a dropped group survives.
 */
export function planRowGroupPlacement(pieces: readonly PlacedPiece[], base?: readonly RowGroupPlace[]): RowGroupPlacement {
  if (!base) {
    let at = 4;
    const positions = pieces.map((piece) => {
      const position = at;
      at += piece.place.span.length;
      return position;
    });
    return { positions, zeroed: [], dataEnd: at };
  }
  const baseEnd = Math.max(4, ...base.map((place) => place.span.offset + place.span.length));
  const starts = base.map((place) => place.span.offset).sort((a, b) => a - b);
  const kept = new Set(pieces.filter((piece) => piece.fromBase).map((piece) => piece.place));
  const dropped = base.filter((place) => !kept.has(place));
  const holes = mergeAdjacent(
    dropped.map((place) => {
      const next = starts.find((start) => start > place.span.offset) ?? baseEnd;
      return { offset: place.span.offset, length: next - place.span.offset };
    }),
  ).map((hole) => ({ ...hole, used: 0 }));
  let end = baseEnd;
  const positions = pieces.map((piece) => {
    if (piece.fromBase) return piece.place.span.offset;
    const length = piece.place.span.length;
    const hole = holes.find((candidate) => candidate.length - candidate.used >= length);
    if (!hole) {
      end += length;
      return end - length;
    }
    hole.used += length;
    return hole.offset + hole.used - length;
  });
  // Nothing needs to follow the last hole's used part when it ends the row groups: the footer goes there.
  const last = holes[holes.length - 1];
  if (last && end === baseEnd && last.offset + last.length === baseEnd) {
    end = last.offset + last.used;
    last.length = last.used;
  }
  const leftovers = holes.filter((hole) => hole.used < hole.length).map((hole) => ({ offset: hole.offset + hole.used, length: hole.length - hole.used }));
  // Old bytes from here on are overwritten by what follows the row groups, or truncated.
  const survivingEnd = Math.min(end, baseEnd);
  const inHole = (range: ByteRange) => holes.some((hole) => range.offset >= hole.offset && range.offset + range.length <= hole.offset + hole.length);
  const sideData = dropped
    .flatMap((place) => place.chunks.flatMap((chunk) => [chunk.columnIndex, chunk.offsetIndex, chunk.bloomFilter && { offset: chunk.bloomFilter.offset, length: chunk.bloomFilter.length ?? 0 }]))
    .filter((range): range is ByteRange => range !== undefined && range.offset < survivingEnd && !inHole(range))
    .map((range) => ({ offset: range.offset, length: Math.min(range.length, survivingEnd - range.offset) }));
  return { positions, zeroed: [...leftovers, ...sideData], dataEnd: end };
}

function mergeAdjacent(ranges: readonly ByteRange[]): ByteRange[] {
  const sorted = [...ranges].sort((a, b) => a.offset - b.offset);
  const merged: ByteRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && last.offset + last.length === range.offset) merged[merged.length - 1] = { offset: last.offset, length: last.length + range.length };
    else merged.push({ ...range });
  }
  return merged;
}

import { ByteRange } from '../../ports/ObjectStore';

/** One part of a multipart upload: bytes sent from the local file, or copied by S3 from the source version. */
export interface SplicedPart {
  kind: 'upload' | 'copy';
  offset: number;
  length: number;
}

/** S3: every part but the last holds at least 5 MiB; UploadPartCopy copies at most 5 GiB. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_COPY_PART_BYTES = 5 * 1024 * 1024 * 1024;

/**
 * The parts of a `size`-byte file whose `unchanged` ranges (sorted, disjoint) hold the source
 * version's bytes at the same offsets. Unchanged ranges of at least MIN_PART_BYTES are copied by S3;
 * an upload part shorter than that takes bytes from the copy after it (they are the same in the local
 * file), or swallows it when too little would be left to copy. Upload parts are at most
 * `uploadPartBytes` (and at least MIN_PART_BYTES, but the last).
 */
export function planSplicedUpload(size: number, unchanged: readonly ByteRange[], uploadPartBytes: number): SplicedPart[] {
  const segments: SplicedPart[] = [];
  let at = 0;
  for (const range of unchanged.filter((r) => r.length >= MIN_PART_BYTES)) {
    if (range.offset > at) segments.push({ kind: 'upload', offset: at, length: range.offset - at });
    segments.push({ kind: 'copy', offset: range.offset, length: range.length });
    at = range.offset + range.length;
  }
  if (at < size) segments.push({ kind: 'upload', offset: at, length: size - at });

  const merged: SplicedPart[] = [];
  let pending: SplicedPart | undefined;
  for (const segment of segments) {
    if (segment.kind === 'upload') {
      pending = pending ? { ...pending, length: pending.length + segment.length } : { ...segment };
      continue;
    }
    const need = pending ? Math.max(0, MIN_PART_BYTES - pending.length) : 0;
    if (pending && segment.length - need < MIN_PART_BYTES) {
      pending = { ...pending, length: pending.length + segment.length };
      continue;
    }
    if (pending) merged.push({ ...pending, length: pending.length + need });
    merged.push({ kind: 'copy', offset: segment.offset + need, length: segment.length - need });
    pending = undefined;
  }
  if (pending) merged.push(pending);
  return merged.flatMap((part) => split(part, part.kind === 'copy' ? MAX_COPY_PART_BYTES : Math.max(uploadPartBytes, MIN_PART_BYTES)));
}

/** Even pieces of at most `max` bytes: each at least MIN_PART_BYTES when the part is. */
function split(part: SplicedPart, max: number): SplicedPart[] {
  const count = Math.ceil(part.length / max);
  if (count <= 1) return [part];
  const size = Math.ceil(part.length / count);
  return Array.from({ length: count }, (_, i) => ({ kind: part.kind, offset: part.offset + i * size, length: Math.min(size, part.length - i * size) }));
}

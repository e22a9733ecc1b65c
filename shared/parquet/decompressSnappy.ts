/**
 * Raw (unframed) Snappy, as Parquet stores pages: a varint of the uncompressed length, then literals
 * and back-references. Node has no Snappy; Spark writes INT96 columns Snappy-compressed by default.
 */
export function decompressSnappy(input: Uint8Array): Uint8Array {
  let pos = 0;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= input.length || shift > 28) throw new Error('snappy: bad length header');
    const byte = input[pos++]!;
    length |= (byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) break;
  }
  const output = new Uint8Array(length);
  let out = 0;
  const readLe = (bytes: number) => {
    if (pos + bytes > input.length) throw new Error('snappy: truncated input');
    let value = 0;
    for (let i = 0; i < bytes; i++) value += input[pos++]! * 2 ** (8 * i);
    return value;
  };
  while (pos < input.length) {
    const tag = input[pos++]!;
    const kind = tag & 3;
    if (kind === 0) {
      let size = tag >>> 2;
      if (size >= 60) size = readLe(size - 59);
      size += 1;
      if (pos + size > input.length || out + size > length) throw new Error('snappy: literal runs past the end');
      output.set(input.subarray(pos, pos + size), out);
      pos += size;
      out += size;
      continue;
    }
    const size = kind === 1 ? 4 + ((tag >>> 2) & 7) : (tag >>> 2) + 1;
    const offset = kind === 1 ? ((tag >>> 5) << 8) | readLe(1) : readLe(kind === 2 ? 2 : 4);
    if (offset === 0 || offset > out || out + size > length) throw new Error('snappy: bad back-reference');
    // Byte by byte: a copy may overlap the bytes it is writing (a run).
    for (let i = 0; i < size; i++, out++) output[out] = output[out - offset]!;
  }
  if (out !== length) throw new Error(`snappy: ${out} bytes written, header said ${length}`);
  return output;
}

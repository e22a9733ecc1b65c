/**
 * Thrift's compact protocol, kept as a typed tree: every struct holds its fields in the order they
 * were read, with their wire types, so a footer decoded and encoded again gives its original bytes
 * and fields this code has no name for (newer parquet.thrift) survive untouched. hyparquet's reader
 * (`src/thrift.js`) drops the wire types (i16 and i32 both become numbers, a list of bools loses its
 * element type) and so cannot write back; a rewrite must change offsets and keep everything else.
 */

export type ThriftValue =
  | { type: 'bool'; value: boolean }
  | { type: 'i8'; value: number }
  | { type: 'i16'; value: number }
  | { type: 'i32'; value: number }
  | { type: 'i64'; value: bigint }
  /** The 8 little-endian bytes as read: a NaN's payload is kept too. */
  | { type: 'double'; bytes: Uint8Array }
  | { type: 'binary'; value: Uint8Array }
  | ThriftList
  | { type: 'map'; keyType: ThriftElementType; valueType: ThriftElementType; entries: [ThriftValue, ThriftValue][] }
  | ThriftStruct;

export type ThriftElementType = Exclude<ThriftValue['type'], 'list'> | 'list' | 'set';

export interface ThriftList {
  /** 'set' is a list on the wire with its own type code. */
  type: 'list' | 'set';
  elementType: ThriftElementType;
  values: ThriftValue[];
}

export interface ThriftField {
  id: number;
  value: ThriftValue;
}

export interface ThriftStruct {
  type: 'struct';
  fields: ThriftField[];
}

const STOP = 0;
/** Compact type codes; a bool field carries its value in the type (1 true, 2 false). */
const CODES: Record<ThriftElementType, number> = { bool: 1, i8: 3, i16: 4, i32: 5, i64: 6, double: 7, binary: 8, list: 9, set: 10, map: 11, struct: 12 };
const TYPES = new Map<number, ThriftElementType>([...Object.entries(CODES)].map(([type, code]) => [code, type as ThriftElementType]));

/** Nesting deeper than this is a corrupt or hostile footer, not Parquet (whose deepest struct is a few levels). */
const MAX_DEPTH = 64;

export class ThriftDecodeError extends Error {
  override name = 'ThriftDecodeError';
}

/** Decodes one struct starting at `offset`; `end` is where it stopped (after its STOP byte). */
export function decodeThriftStruct(bytes: Uint8Array, offset = 0): { struct: ThriftStruct; end: number } {
  const reader = new CompactReader(bytes, offset);
  const struct = reader.readStruct(0);
  return { struct, end: reader.offset };
}

export function encodeThriftStruct(struct: ThriftStruct): Uint8Array {
  const writer = new CompactWriter();
  writer.writeStruct(struct);
  return writer.bytes();
}

class CompactReader {
  constructor(
    private readonly input: Uint8Array,
    public offset: number,
  ) {}

  readStruct(depth: number): ThriftStruct {
    if (depth > MAX_DEPTH) throw new ThriftDecodeError(`thrift structs nested deeper than ${MAX_DEPTH}`);
    const fields: ThriftField[] = [];
    let lastId = 0;
    for (;;) {
      const header = this.byte();
      if (header === STOP) return { type: 'struct', fields };
      const code = header & 0x0f;
      const delta = header >> 4;
      const id = delta === 0 ? this.zigzag32() : lastId + delta;
      lastId = id;
      const value = code === 1 || code === 2 ? { type: 'bool' as const, value: code === 1 } : this.readValue(this.elementType(code), depth);
      fields.push({ id, value });
    }
  }

  private readValue(type: ThriftElementType, depth: number): ThriftValue {
    switch (type) {
      case 'bool':
        // Inside a list or map a bool is one byte; the compact spec says 1 is true (writers use 1 and 2 or 1 and 0).
        return { type, value: this.byte() === 1 };
      case 'i8':
        return { type, value: (this.byte() << 24) >> 24 };
      case 'i16':
      case 'i32':
        return { type, value: this.zigzag32() };
      case 'i64': {
        const raw = this.varint();
        return { type, value: (raw >> 1n) ^ -(raw & 1n) };
      }
      case 'double':
        return { type, bytes: this.take(8) };
      case 'binary':
        return { type, value: this.take(Number(this.varint())) };
      case 'list':
      case 'set': {
        const header = this.byte();
        const size = header >> 4 === 15 ? Number(this.varint()) : header >> 4;
        const elementType = this.elementType(header & 0x0f);
        return { type, elementType, values: this.repeat(size, () => this.readValue(elementType, depth + 1)) };
      }
      case 'map': {
        const size = Number(this.varint());
        if (size === 0) return { type, keyType: 'binary', valueType: 'binary', entries: [] };
        const kinds = this.byte();
        const keyType = this.elementType(kinds >> 4);
        const valueType = this.elementType(kinds & 0x0f);
        return { type, keyType, valueType, entries: this.repeat(size, () => [this.readValue(keyType, depth + 1), this.readValue(valueType, depth + 1)]) };
      }
      case 'struct':
        return this.readStruct(depth + 1);
    }
  }

  private repeat<T>(count: number, read: () => T): T[] {
    // Every element takes at least one byte: a larger count is a corrupt length, not a huge list.
    if (count > this.input.length - this.offset) throw new ThriftDecodeError(`thrift collection of ${count} elements exceeds the ${this.input.length - this.offset} bytes left`);
    return Array.from({ length: count }, read);
  }

  private elementType(code: number): ThriftElementType {
    // A list of bools names its element type as 1 or 2 alike.
    const type = code === 2 ? 'bool' : TYPES.get(code);
    if (type === undefined) throw new ThriftDecodeError(`thrift type code ${code} at byte ${this.offset - 1} is not a compact protocol type`);
    return type;
  }

  private byte(): number {
    if (this.offset >= this.input.length) throw new ThriftDecodeError(`thrift data ends at byte ${this.offset} inside a struct`);
    return this.input[this.offset++]!;
  }

  private take(length: number): Uint8Array {
    if (this.offset + length > this.input.length) throw new ThriftDecodeError(`thrift value of ${length} bytes at byte ${this.offset} exceeds the ${this.input.length - this.offset} bytes left`);
    const value = this.input.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  private varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = this.byte();
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
    throw new ThriftDecodeError(`thrift varint longer than 10 bytes at byte ${this.offset}`);
  }

  private zigzag32(): number {
    const raw = Number(this.varint() & 0xffffffffn);
    return (raw >>> 1) ^ -(raw & 1);
  }
}

class CompactWriter {
  private buffer = new Uint8Array(1024);
  private length = 0;

  bytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  writeStruct(struct: ThriftStruct): void {
    let lastId = 0;
    for (const { id, value } of struct.fields) {
      const code = value.type === 'bool' ? (value.value ? 1 : 2) : CODES[value.type];
      // The short form whenever the id goes up by 1..15, as the reference writers do.
      if (id > lastId && id - lastId <= 15) this.byte(((id - lastId) << 4) | code);
      else {
        this.byte(code);
        this.zigzag32(id);
      }
      lastId = id;
      if (value.type !== 'bool') this.writeValue(value);
    }
    this.byte(STOP);
  }

  private writeValue(value: ThriftValue): void {
    switch (value.type) {
      case 'bool':
        return this.byte(value.value ? 1 : 2);
      case 'i8':
        return this.byte(value.value & 0xff);
      case 'i16':
      case 'i32':
        return this.zigzag32(value.value);
      case 'i64':
        return this.varint(value.value < 0n ? (-value.value << 1n) - 1n : value.value << 1n);
      case 'double':
        return this.append(value.bytes);
      case 'binary':
        this.varint(BigInt(value.value.length));
        return this.append(value.value);
      case 'list':
      case 'set': {
        const code = CODES[value.elementType];
        if (value.values.length < 15) this.byte((value.values.length << 4) | code);
        else {
          this.byte(0xf0 | code);
          this.varint(BigInt(value.values.length));
        }
        for (const element of value.values) this.writeValue(element);
        return;
      }
      case 'map':
        this.varint(BigInt(value.entries.length));
        if (value.entries.length === 0) return;
        this.byte((CODES[value.keyType] << 4) | CODES[value.valueType]);
        for (const [key, entry] of value.entries) {
          this.writeValue(key);
          this.writeValue(entry);
        }
        return;
      case 'struct':
        return this.writeStruct(value);
    }
  }

  private zigzag32(value: number): void {
    this.varint(BigInt(((value << 1) ^ (value >> 31)) >>> 0));
  }

  private varint(value: bigint): void {
    let rest = value;
    while (rest >= 0x80n) {
      this.byte(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    this.byte(Number(rest));
  }

  private byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  private append(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}

import { ThriftDecodeError, ThriftStruct, ThriftValue } from './thriftCompact';

/**
 * Typed reads of one field of a decoded struct, by its parquet.thrift id. A field of the wrong wire
 * type is a corrupt footer, reported as such (not read as absent).
 */
export function fieldValue(struct: ThriftStruct, id: number): ThriftValue | undefined {
  return struct.fields.find((field) => field.id === id)?.value;
}

export function integerField(struct: ThriftStruct, id: number, where: string): bigint | undefined {
  const value = fieldValue(struct, id);
  if (value === undefined) return undefined;
  if (value.type === 'i64') return value.value;
  if (value.type === 'i32' || value.type === 'i16' || value.type === 'i8') return BigInt(value.value);
  throw new ThriftDecodeError(`${where}: field ${id} is ${value.type}, expected an integer`);
}

export function structField(struct: ThriftStruct, id: number, where: string): ThriftStruct | undefined {
  const value = fieldValue(struct, id);
  if (value === undefined || value.type === 'struct') return value;
  throw new ThriftDecodeError(`${where}: field ${id} is ${value.type}, expected a struct`);
}

export function structListField(struct: ThriftStruct, id: number, where: string): ThriftStruct[] | undefined {
  const value = fieldValue(struct, id);
  if (value === undefined) return undefined;
  if (value.type === 'list' && value.values.every((element) => element.type === 'struct')) return value.values as ThriftStruct[];
  throw new ThriftDecodeError(`${where}: field ${id} is ${value.type}, expected a list of structs`);
}

/**
 * A copy of `struct` with field `id` set to `value` (kept in its place, or inserted in id order), or
 * removed when `value` is undefined. The input is not changed.
 */
export function withField(struct: ThriftStruct, id: number, value: ThriftValue | undefined): ThriftStruct {
  const others = struct.fields.filter((field) => field.id !== id);
  if (value === undefined) return { type: 'struct', fields: others };
  if (others.length < struct.fields.length) return { type: 'struct', fields: struct.fields.map((field) => (field.id === id ? { id, value } : field)) };
  const at = others.findIndex((field) => field.id > id);
  const fields = [...others];
  fields.splice(at === -1 ? fields.length : at, 0, { id, value });
  return { type: 'struct', fields };
}

/** An integer field rewritten with its own wire type kept (i64 stays i64, i32 stays i32). */
export function withIntegerField(struct: ThriftStruct, id: number, value: bigint, typeIfAbsent: 'i32' | 'i64'): ThriftStruct {
  const current = fieldValue(struct, id);
  if (current === undefined) return withField(struct, id, typeIfAbsent === 'i64' ? { type: 'i64', value } : { type: 'i32', value: Number(value) });
  if (current.type === 'i64') return withField(struct, id, { type: 'i64', value });
  if (current.type === 'i32' || current.type === 'i16' || current.type === 'i8') return withField(struct, id, { type: current.type, value: Number(value) });
  throw new ThriftDecodeError(`field ${id} is ${current.type}, expected an integer`);
}

import { LOGICAL_TYPES, PHYSICAL_TYPES, REPETITIONS } from './parquetNames';
import { encodeThriftStruct, ThriftStruct, ThriftValue } from './thriftCompact';
import { fieldValue } from './thriftFields';

/** SchemaElement fields that decide how a column chunk's pages decode (parquet.thrift ids). */
const SCHEMA_ELEMENT_FIELDS: Record<number, string> = {
  1: 'physical type',
  2: 'type length',
  3: 'repetition',
  4: 'name',
  5: 'child count',
  6: 'converted type',
  7: 'scale',
  8: 'precision',
  9: 'field id',
  10: 'logical type',
};
const NAME = 4;
const REPETITION = 3;
/** parquet.thrift enums named in a reason, so it reads "REQUIRED written as OPTIONAL". */
const ENUM_NAMES: Record<number, readonly string[]> = { 1: PHYSICAL_TYPES, 3: REPETITIONS };

/**
 * The first way `written` (a re-encoded row group's schema) differs from `source`, or undefined when
 * they are identical element by element. The root's name and repetition are the writer's (pyarrow
 * leaves the repetition out, DuckDB says REQUIRED) and decode nothing, so they are not compared;
 * fields this code has no name for are compared too.
 */
export function describeSchemaDifference(source: readonly ThriftStruct[], written: readonly ThriftStruct[]): string | undefined {
  if (source.length !== written.length) return `the schema has ${source.length} elements, DuckDB wrote ${written.length}`;
  for (const [index, element] of source.entries()) {
    const other = written[index]!;
    const ids = [...new Set([...element.fields, ...other.fields].map((field) => field.id))].sort((a, b) => a - b);
    for (const id of ids) {
      if (index === 0 && (id === NAME || id === REPETITION)) continue;
      const before = fieldValue(element, id);
      const after = fieldValue(other, id);
      if (sameValue(before, after)) continue;
      const what = SCHEMA_ELEMENT_FIELDS[id] ?? `field ${id}`;
      return `column ${elementName(element, index)}: ${what} ${render(id, before)} written as ${render(id, after)}`;
    }
  }
  return undefined;
}

function sameValue(a: ThriftValue | undefined, b: ThriftValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return Buffer.from(encodeValue(a)).equals(Buffer.from(encodeValue(b)));
}

/** A value's bytes, by encoding it as the only field of a struct (equal values encode equally). */
function encodeValue(value: ThriftValue): Uint8Array {
  return encodeThriftStruct({ type: 'struct', fields: [{ id: 1, value }] });
}

function elementName(element: ThriftStruct, index: number): string {
  const name = fieldValue(element, NAME);
  return name?.type === 'binary' ? Buffer.from(name.value).toString('utf8') : `#${index}`;
}

/** Other enums (converted types) stay parquet.thrift's numbers, enough to tell two writers apart. */
function render(id: number, value: ThriftValue | undefined): string {
  if (value === undefined) return 'none';
  switch (value.type) {
    case 'i32':
      return ENUM_NAMES[id]?.[value.value] ?? String(value.value);
    case 'i8':
    case 'i16':
    case 'bool':
      return String(value.value);
    case 'i64':
      return value.value.toString();
    case 'binary':
      return JSON.stringify(Buffer.from(value.value).toString('utf8'));
    case 'struct': {
      const variant = value.fields[0]?.id;
      return variant === undefined ? 'an empty struct' : (LOGICAL_TYPES[variant] ?? `a struct with field ${variant}`);
    }
    default:
      return `a ${value.type}`;
  }
}

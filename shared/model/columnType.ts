/**
 * The type of a table column, as far as matching is concerned. Catalogs translate their own type
 * syntax (DuckDB, Glue/Hive) into this; the planner casts match values against it.
 */
export type TimeUnit = 's' | 'ms' | 'us' | 'ns';

export type ColumnType =
  | { kind: 'string' }
  | { kind: 'int'; bits: 8 | 16 | 32 | 64 | 128; signed: boolean }
  | { kind: 'decimal'; precision: number; scale: number }
  | { kind: 'float'; bits: 32 | 64 }
  | { kind: 'date' }
  | { kind: 'timestamp'; unit: TimeUnit; withTimeZone: boolean }
  | { kind: 'boolean' }
  | { kind: 'struct'; fields: Column[] }
  /** Lists, maps, blobs, times, unions: readable, but not usable as an identifier. */
  | { kind: 'other'; name: string };

export interface Column {
  name: string;
  type: ColumnType;
}

/** A column reached by a dot path (`user.email`), with each name spelled as the table spells it. */
export interface ResolvedColumn {
  /** The path as configured, e.g. `user.email`; used in reports and manifest keys. */
  configured: string;
  path: string[];
  type: ColumnType;
}

/** Types whose values can identify a person in a match. */
export function isMatchableType(type: ColumnType): boolean {
  return type.kind !== 'struct' && type.kind !== 'other';
}

export function describeColumnType(type: ColumnType): string {
  switch (type.kind) {
    case 'string':
    case 'date':
    case 'boolean':
      return type.kind;
    case 'int':
      return `${type.signed ? '' : 'u'}int${type.bits}`;
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'float':
      return type.bits === 32 ? 'float' : 'double';
    case 'timestamp':
      return `timestamp(${type.unit}${type.withTimeZone ? ', tz' : ''})`;
    case 'struct':
      return `struct<${type.fields.map((f) => `${f.name}:${describeColumnType(f.type)}`).join(',')}>`;
    case 'other':
      return type.name;
  }
}

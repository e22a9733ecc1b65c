import { expectArray, expectInteger, expectOneOf, expectRecord, expectString } from './fields';

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

/** Parses a ColumnType as lethe stores it in state files (the JSON of the union above). */
export function parseColumnTypeJson(input: unknown, where: string): ColumnType {
  const r = expectRecord(input, where);
  const kind = expectOneOf(r.kind, ['string', 'int', 'decimal', 'float', 'date', 'timestamp', 'boolean', 'struct', 'other'] as const, `${where}.kind`);
  switch (kind) {
    case 'string':
    case 'date':
    case 'boolean':
      return { kind };
    case 'int':
      return { kind, bits: Number(expectOneOf(String(r.bits), ['8', '16', '32', '64', '128'] as const, `${where}.bits`)) as 8 | 16 | 32 | 64 | 128, signed: r.signed !== false };
    case 'decimal':
      return { kind, precision: expectInteger(r.precision, `${where}.precision`, 1, 76), scale: expectInteger(r.scale, `${where}.scale`, 0, 76) };
    case 'float':
      return { kind, bits: r.bits === 32 ? 32 : 64 };
    case 'timestamp':
      return { kind, unit: expectOneOf(r.unit, ['s', 'ms', 'us', 'ns'] as const, `${where}.unit`), withTimeZone: r.withTimeZone === true };
    case 'struct':
      return {
        kind,
        fields: expectArray(r.fields, `${where}.fields`).map((f, i) => {
          const field = expectRecord(f, `${where}.fields[${i}]`);
          return { name: expectString(field.name, `${where}.fields[${i}].name`), type: parseColumnTypeJson(field.type, `${where}.fields[${i}].type`) };
        }),
      };
    case 'other':
      return { kind, name: expectString(r.name, `${where}.name`) };
  }
}

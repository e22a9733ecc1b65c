import { ColumnType, describeColumnType } from '../../model/columnType';
import { InputError, unreachable } from '../../model/errors';

/** The Athena (Trino) type a manifest value is cast to before it is compared with a column of `type`. */
export function athenaTypeName(type: ColumnType): string {
  switch (type.kind) {
    case 'string':
      return 'varchar';
    case 'int':
      // Trino has no unsigned or 128-bit integers: a decimal holds every value exactly.
      if (type.bits === 128) return 'decimal(38,0)';
      if (!type.signed) return { 8: 'smallint', 16: 'integer', 32: 'bigint', 64: 'decimal(20,0)' }[type.bits];
      return { 8: 'tinyint', 16: 'smallint', 32: 'integer', 64: 'bigint' }[type.bits];
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'float':
      return type.bits === 32 ? 'real' : 'double';
    case 'date':
      return 'date';
    case 'timestamp':
      return type.withTimeZone ? 'timestamp with time zone' : 'timestamp';
    case 'boolean':
      return 'boolean';
    case 'struct':
    case 'other':
      throw new InputError(`a ${describeColumnType(type)} column cannot hold a match`);
    default:
      return unreachable(type);
  }
}

import { ColumnType, describeColumnType } from '../model/columnType';
import { unreachable } from '../model/errors';

/** The DuckDB SQL type a match value is cast to before it is compared with a column of `type`. */
export function duckDbTypeName(type: ColumnType): string {
  switch (type.kind) {
    case 'string':
      return 'VARCHAR';
    case 'int': {
      const name = { 8: 'TINYINT', 16: 'SMALLINT', 32: 'INTEGER', 64: 'BIGINT', 128: 'HUGEINT' }[type.bits];
      return type.signed ? name : `U${name}`;
    }
    case 'decimal':
      return `DECIMAL(${type.precision},${type.scale})`;
    case 'float':
      return type.bits === 32 ? 'FLOAT' : 'DOUBLE';
    case 'date':
      return 'DATE';
    case 'timestamp':
      if (type.withTimeZone) return 'TIMESTAMPTZ';
      return { s: 'TIMESTAMP_S', ms: 'TIMESTAMP_MS', us: 'TIMESTAMP', ns: 'TIMESTAMP_NS' }[type.unit];
    case 'boolean':
      return 'BOOLEAN';
    case 'struct':
    case 'other':
      throw new Error(`a ${describeColumnType(type)} column cannot hold a match`);
    default:
      return unreachable(type);
  }
}

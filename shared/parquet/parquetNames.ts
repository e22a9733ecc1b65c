/**
 * parquet.thrift's enum and union names by number, spelled as parquet.thrift (and DuckDB's
 * parquet_metadata and parquet_schema) spell them.
 */
export const PHYSICAL_TYPES: readonly string[] = ['BOOLEAN', 'INT32', 'INT64', 'INT96', 'FLOAT', 'DOUBLE', 'BYTE_ARRAY', 'FIXED_LEN_BYTE_ARRAY'];

export const REPETITIONS: readonly string[] = ['REQUIRED', 'OPTIONAL', 'REPEATED'];

export const CONVERTED_TYPES: readonly string[] = [
  'UTF8', 'MAP', 'MAP_KEY_VALUE', 'LIST', 'ENUM', 'DECIMAL', 'DATE', 'TIME_MILLIS', 'TIME_MICROS', 'TIMESTAMP_MILLIS', 'TIMESTAMP_MICROS',
  'UINT_8', 'UINT_16', 'UINT_32', 'UINT_64', 'INT_8', 'INT_16', 'INT_32', 'INT_64', 'JSON', 'BSON', 'INTERVAL',
];

export const CODECS: readonly string[] = ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'LZO', 'BROTLI', 'LZ4', 'ZSTD', 'LZ4_RAW'];

/** LogicalType is a union: the id of its one field names the type (9 was never assigned). */
export const LOGICAL_TYPES: Readonly<Record<number, string>> = {
  1: 'STRING', 2: 'MAP', 3: 'LIST', 4: 'ENUM', 5: 'DECIMAL', 6: 'DATE', 7: 'TIME', 8: 'TIMESTAMP', 10: 'INTEGER', 11: 'NULL',
  12: 'JSON', 13: 'BSON', 14: 'UUID', 15: 'FLOAT16', 16: 'VARIANT', 17: 'GEOMETRY', 18: 'GEOGRAPHY',
};

/** TimeUnit is a union too. */
export const TIME_UNITS: Readonly<Record<number, 'MILLIS' | 'MICROS' | 'NANOS'>> = { 1: 'MILLIS', 2: 'MICROS', 3: 'NANOS' };

/** An enum's name, or its number when this code has none (a newer parquet.thrift). */
export function enumName(names: readonly string[], value: number): string {
  return names[value] ?? String(value);
}

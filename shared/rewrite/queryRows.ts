import { DuckDBConnection } from '@duckdb/node-api';

/** Runs `sql` and returns its rows as plain objects (BIGINT as bigint, BLOB as DuckDBBlobValue). */
export async function queryRows(connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjects();
}

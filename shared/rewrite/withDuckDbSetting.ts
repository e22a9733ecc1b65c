import { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from './queryRows';

/** Settings the rewrite adjusts for one statement; instance-wide in DuckDB, so callers take turns (retryOnOneThread). */
export type RewriteSetting = 'threads';

/**
 * Runs `run` with a DuckDB setting at `value` and puts the caller's value back afterwards, so a
 * rewrite never leaves the shared instance configured differently than it found it.
 */
export async function withDuckDbSetting<T>(connection: DuckDBConnection, name: RewriteSetting, value: number | boolean, run: () => Promise<T>): Promise<T> {
  const [current] = await queryRows(connection, `SELECT current_setting('${name}')::VARCHAR AS value`);
  const previous = String(current?.value);
  if (previous === String(value)) return run();
  await connection.run(`SET ${name} = ${String(value)}`);
  try {
    return await run();
  } finally {
    await connection.run(`SET ${name} = ${previous}`);
  }
}

import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { quoteLiteral } from './sqlText';

export interface DuckDbOptions {
  /** e.g. "1GB": beyond it DuckDB spills to `tempDirectory`, so large objects stream through disk. */
  memoryLimit: string;
  /** 0 keeps DuckDB's default (one per core). */
  threads: number;
  tempDirectory: string;
}

/** An in-memory DuckDB with bounded memory, spilling to a temp directory lethe owns. */
export async function openDuckDb(options: DuckDbOptions): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`SET memory_limit = ${quoteLiteral(options.memoryLimit)}`);
  await connection.run(`SET temp_directory = ${quoteLiteral(options.tempDirectory)}`);
  if (options.threads > 0) await connection.run(`SET threads = ${Math.floor(options.threads)}`);
  // The rewrite's COPY must keep the rows in query order. Instance-wide, so set here once and never
  // switched per rewrite (concurrent workers share the instance).
  await connection.run('SET preserve_insertion_order = true');
  // Extensions cannot be downloaded where lethe runs; parquet and json are built in.
  await connection.run('SET autoinstall_known_extensions = false');
  return { instance, connection };
}

export function closeDuckDb(handle: { instance: DuckDBInstance; connection: DuckDBConnection }): void {
  handle.connection.closeSync();
  handle.instance.closeSync();
}

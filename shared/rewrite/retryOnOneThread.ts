import { DuckDBConnection } from '@duckdb/node-api';
import { errorMessage } from '../model/errors';
import { withDuckDbSetting } from './withDuckDbSetting';

/**
 * Runs a DuckDB step; if it runs out of memory, runs it again on one thread. Each thread holds its
 * own buffers (a Parquet row group waiting for its turn to keep insertion order, a 32 MiB JSON read
 * buffer), so a small memory_limit can be passed by threads alone, while one thread streams the same
 * object through disk. A second out-of-memory error is the caller's to report.
 */
export async function retryOnOneThread<T>(connection: DuckDBConnection, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!/Out of Memory Error/i.test(errorMessage(error))) throw error;
    return withDuckDbSetting(connection, 'threads', 1, run);
  }
}

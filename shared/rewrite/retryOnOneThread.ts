import { DuckDBConnection } from '@duckdb/node-api';
import { errorMessage } from '../model/errors';
import { withDuckDbSetting } from './withDuckDbSetting';

/**
 * The one-thread retries of this process, one at a time. DuckDB's threads setting is the instance's,
 * shared by every worker: two overlapping retries would each set and restore it, and the first to
 * restore would put the other's retry back on every thread. Taking turns also suits the case: a
 * retry runs because memory is short.
 */
let turn: Promise<void> = Promise.resolve();

function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const result = turn.then(work);
  // The next retry waits for this one to end, however it ends; its error is the caller's.
  turn = result.then(
    () => undefined,
    () => undefined,
  );
  return result;
}

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
    return oneAtATime(() => withDuckDbSetting(connection, 'threads', 1, run));
  }
}

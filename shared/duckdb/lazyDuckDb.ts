import { DuckDBConnection } from '@duckdb/node-api';
import { DuckDbOptions, closeDuckDb, openDuckDb } from './openDuckDb';

export interface LazyDuckDb {
  /** A new connection to the one instance, which the first call opens. */
  connect(): Promise<DuckDBConnection>;
  /** Closes the instance if it was opened. */
  close(): Promise<void>;
}

/**
 * One DuckDB per process, opened when something first needs it: the aws-mode CLI only reads and
 * writes state and never pays for (or holds the memory of) an instance it does not use.
 */
export function lazyDuckDb(options: DuckDbOptions): LazyDuckDb {
  let opening: ReturnType<typeof openDuckDb> | undefined;
  return {
    connect: async () => {
      opening ??= openDuckDb(options);
      return (await opening).instance.connect();
    },
    close: async () => {
      const opened = opening;
      opening = undefined;
      // An instance that failed to open was reported to the connect() that asked; there is nothing to close.
      const handle = await opened?.catch(() => undefined);
      if (handle) closeDuckDb(handle);
    },
  };
}

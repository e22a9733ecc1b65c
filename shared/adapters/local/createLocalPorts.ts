import { DuckDBConnection } from '@duckdb/node-api';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { closeDuckDb, openDuckDb } from '../../duckdb/openDuckDb';
import { runForgetWorker } from '../../forget/runForgetWorker';
import { Settings } from '../../model/settings';
import { Ports } from '../../ports/Ports';
import { makeScratchDirectory } from '../../scratch/makeScratchDirectory';
import { DirectoryObjectStore } from './DirectoryObjectStore';
import { DirectoryStateStore } from './DirectoryStateStore';
import { DuckDbQueryExecutor } from './DuckDbQueryExecutor';
import { HiveDirectoryCatalog } from './HiveDirectoryCatalog';
import { InProcessFleet } from './InProcessFleet';
import { InProcessWorkQueue } from './InProcessWorkQueue';

export interface LocalPorts {
  ports: Ports;
  connect: () => Promise<DuckDBConnection>;
  close(): Promise<void>;
}

/**
 * The embedded default: a directory lake and state store, DuckDB for find and rewrite, an in-process
 * queue, and forget workers as loops in this process. One DuckDB instance bounds memory for all.
 */
export async function createLocalPorts(stateDir: string, settings: Settings): Promise<LocalPorts> {
  const tempDirectory = path.join(stateDir, 'tmp');
  await mkdir(tempDirectory, { recursive: true });
  const spillDirectory = await makeScratchDirectory(tempDirectory, 'duckdb');
  const duckdb = await openDuckDb({ memoryLimit: settings.duckdbMemoryLimit, threads: settings.duckdbThreads, tempDirectory: spillDirectory });
  const connect = () => duckdb.instance.connect();
  const state = new DirectoryStateStore(stateDir);
  const lake = new DirectoryObjectStore(tempDirectory);
  const ports: Ports = {
    lake,
    state,
    queue: new InProcessWorkQueue(settings.maxReceiveCount),
    queries: new DuckDbQueryExecutor(state, connect),
    catalog: new HiveDirectoryCatalog(lake, connect),
    fleet: new InProcessFleet((signal) =>
      runForgetWorker(ports, {
        concurrency: settings.forgetConcurrency,
        visibilityTimeoutSeconds: settings.visibilityTimeoutSeconds,
        maxReceiveCount: settings.maxReceiveCount,
        connect,
        signal,
      }),
    ),
    tempDirectory,
  };
  return {
    ports,
    connect,
    close: async () => {
      await ports.fleet.scale(0);
      await ports.queries.close();
      closeDuckDb(duckdb);
      await rm(spillDirectory, { recursive: true, force: true });
    },
  };
}

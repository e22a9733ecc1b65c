import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { DirectoryObjectStore } from '../adapters/local/DirectoryObjectStore';
import { DirectoryStateStore } from '../adapters/local/DirectoryStateStore';
import { DuckDbQueryExecutor } from '../adapters/local/DuckDbQueryExecutor';
import { HiveDirectoryCatalog } from '../adapters/local/HiveDirectoryCatalog';
import { InProcessFleet } from '../adapters/local/InProcessFleet';
import { InProcessWorkQueue } from '../adapters/local/InProcessWorkQueue';
import { JobEventNotifier } from '../adapters/local/JobEventNotifier';
import { lazyDuckDb } from '../duckdb/lazyDuckDb';
import { runForgetWorker } from '../forget/runForgetWorker';
import { SharedMatchTables } from '../forget/matchSession';
import { Ports } from '../ports/Ports';
import { makeScratchDirectory } from '../scratch/makeScratchDirectory';
import { sweepScratch } from '../scratch/sweepScratch';
import { Runtime } from './Runtime';
import { buildRuntime } from './buildRuntime';
import { LoadedConfig, loadConfigFile } from './loadConfigFile';

/**
 * The embedded default: a directory lake and state store, DuckDB for find and rewrite, an in-process
 * queue, and forget workers as loops in this process. One DuckDB instance bounds memory for all.
 * Takes the path of lethe.yaml, or a config already loaded (benchmarks build theirs in code).
 */
export async function openLocalRuntime(source: string | LoadedConfig): Promise<Runtime> {
  const config = typeof source === 'string' ? await loadConfigFile(source) : source;
  const { settings } = config;
  const tempDirectory = path.join(config.stateDir, 'tmp');
  await mkdir(tempDirectory, { recursive: true });
  // Any lethe process sweeps what a killed one left, not only a job start: a run killed after its
  // job ended has no job left to start.
  await sweepScratch(tempDirectory);
  const spillDirectory = await makeScratchDirectory(tempDirectory, 'duckdb');
  const duckdb = lazyDuckDb({ memoryLimit: settings.duckdbMemoryLimit, threads: settings.duckdbThreads, tempDirectory: spillDirectory });
  const state = new DirectoryStateStore(config.stateDir);
  const matchTables = new SharedMatchTables(state, duckdb.connect);
  const lake = new DirectoryObjectStore(tempDirectory);
  const ports: Ports = {
    lake,
    state,
    queue: new InProcessWorkQueue(settings.maxReceiveCount),
    queries: new DuckDbQueryExecutor(matchTables),
    catalog: new HiveDirectoryCatalog(lake, duckdb.connect),
    fleet: new InProcessFleet((signal) => runForgetWorker(ports, { ...runtime.workerOptions, signal })),
    notifier: new JobEventNotifier(state),
    tempDirectory,
  };
  const runtime = buildRuntime({
    mode: 'local',
    ports,
    config,
    connect: duckdb.connect,
    matchTables,
    close: async () => {
      try {
        await ports.fleet.scale(0);
      } finally {
        try {
          await ports.queries.close();
        } finally {
          await duckdb.close();
          await rm(spillDirectory, { recursive: true, force: true });
        }
      }
    },
  });
  return runtime;
}

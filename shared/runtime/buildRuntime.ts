import { DuckDBConnection } from '@duckdb/node-api';
import { MatchTableSource } from '../duckdb/matchTables';
import { loadHmacKey } from '../privacy/loadHmacKey';
import { Runtime } from './Runtime';

export interface RuntimeParts extends Pick<Runtime, 'mode' | 'ports' | 'config' | 'launchJob'> {
  connect(): Promise<DuckDBConnection>;
  /** Where the HMAC key comes from (SSM on AWS); else the settings' key or the state store's generated one. */
  readHmacKey?(): Promise<Buffer>;
  /** The process's match tables, shared by its forget slots (and locally its find queries). */
  matchTables: MatchTableSource;
  /** The Fargate task's LETHE_IDLE_EXIT_SECONDS; workers run until stopped without it. */
  idleExitSeconds?: number;
  close(): Promise<void>;
}

/** The parts both modes share: worker options from the settings, a key read once, a close run once. */
export function buildRuntime(parts: RuntimeParts): Runtime {
  const { settings } = parts.config;
  let key: Promise<Buffer> | undefined;
  let closing: Promise<void> | undefined;
  return {
    mode: parts.mode,
    ports: parts.ports,
    config: parts.config,
    workerOptions: {
      concurrency: settings.forgetConcurrency,
      visibilityTimeoutSeconds: settings.visibilityTimeoutSeconds,
      maxReceiveCount: settings.maxReceiveCount,
      matchTables: parts.matchTables,
      ...(parts.idleExitSeconds === undefined ? {} : { idleExitSeconds: parts.idleExitSeconds }),
    },
    connect: parts.connect,
    hmacKey: () => {
      key ??= (parts.readHmacKey ? parts.readHmacKey() : loadHmacKey(parts.ports.state, settings)).catch((error: unknown) => {
        key = undefined;
        throw error;
      });
      return key;
    },
    ...(parts.launchJob ? { launchJob: parts.launchJob } : {}),
    close: () => (closing ??= parts.close()),
  };
}

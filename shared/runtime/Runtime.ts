import { JobId } from '../model/identifiers';
import { DuckDBConnection } from '@duckdb/node-api';
import { ForgetWorkerOptions } from '../forget/runForgetWorker';
import { Ports } from '../ports/Ports';
import { LoadedConfig } from './loadConfigFile';

/** What a forget worker needs besides the ports and its stop signal, derived from the settings once. */
export type WorkerOptions = Omit<ForgetWorkerOptions, 'signal'>;

/**
 * Everything a lethe process needs, built by the composition root (openLocalRuntime, openAwsRuntime):
 * the CLI, the find task, the forget worker, the console and the Node API all take one of these.
 */
export interface Runtime {
  readonly mode: 'local' | 'aws';
  readonly ports: Ports;
  /** lethe.yaml locally, the config the Pulumi program wrote to the state bucket on AWS. */
  readonly config: LoadedConfig;
  /**
   * The HMAC key, read once. On AWS the stack's SSM parameter; locally the settings' key, or one
   * created in the state store on first use.
   */
  hmacKey(): Promise<Buffer>;
  readonly workerOptions: WorkerOptions;
  /** A new connection to this process's DuckDB instance (opened on first use). */
  connect(): Promise<DuckDBConnection>;
  /**
   * aws mode: asks the stack to run the job in its find task (a request in the state bucket, which the
   * stack's EventBridge rule turns into a task: operators hold no ecs:RunTask), so it goes on when this
   * process ends; returns where the request is. Absent locally, where the queue and the workers live
   * in the process that drives the job.
   */
  launchJob?(jobId: JobId, requestedBy: string): Promise<string>;
  /** Stops this process's workers, closes the query executor and DuckDB. A second call waits for the first. */
  close(): Promise<void>;
}

import { randomUUID } from 'node:crypto';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetQueryResultsCommandOutput,
  QueryExecution,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { GetTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { ColumnType } from '../../model/columnType';
import { ErrorContext, InputError, LetheError, TransientError } from '../../model/errors';
import { FindQuery, FindQueryResult, QueryExecutor, QueryScope } from '../../ports/QueryExecutor';
import { scrubEngineMessage } from '../../privacy/scrubEngineMessage';
import { buildAthenaFindSql, describePartition } from './buildAthenaFindSql';
import { parseGlueType } from './parseGlueType';
import { translateAwsError } from './translateAwsError';
import { ObjectUri, parseObjectUri } from '../../model/identifiers';

export interface AthenaQueryExecutorOptions {
  client: AthenaClient;
  /** Reads the partition key types of lake tables, so partition values are compared with the right type. */
  glue?: GlueClient;
  workGroup: string;
  /** Glue database and table of the manifest table over jobs/<jobId>/manifests/. */
  manifestDatabase: string;
  manifestTable?: string;
  /** s3:// prefix for results, when the workgroup does not set (and enforce) one. */
  outputLocation?: string;
  /** Queries in flight at once from this executor (Athena counts queued + running against its quota). */
  maxConcurrent?: number;
  /** Attempts of StartQueryExecution when Athena throttles (TooManyRequestsException). */
  startAttempts?: number;
  /** First and longest wait between polls of a running query. */
  pollMs?: { initial: number; max: number };
  /** A query running longer than this is stopped and fails with a TransientError. */
  timeoutMs?: number;
  /** Rows per GetQueryResults page (Athena allows up to 1000). */
  pageSize?: number;
  /** Backoff sleeps; tests pass a fast one. */
  sleep?: (ms: number) => Promise<void>;
}

/** What one Athena query did, for events and reports. */
export interface AthenaQueryRecord {
  queryExecutionId: string;
  bytesScanned: number;
  objects: number;
}

/** Find queries on Athena: start, poll with backoff, page through results, retry throttling. */
export class AthenaQueryExecutor implements QueryExecutor {
  /** Each statement filters on its group's partition values: its scan stays bounded, a failure retries that group alone. */
  readonly queryScope: QueryScope = 'partitionGroup';
  private readonly options: Required<Omit<AthenaQueryExecutorOptions, 'glue' | 'outputLocation'>> & Pick<AthenaQueryExecutorOptions, 'glue' | 'outputLocation'>;
  private readonly partitionTypes = new Map<string, Promise<Record<string, ColumnType>>>();
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** Every query run, in completion order. */
  readonly history: AthenaQueryRecord[] = [];

  constructor(options: AthenaQueryExecutorOptions) {
    this.options = {
      manifestTable: 'manifests',
      maxConcurrent: 4,
      startAttempts: 8,
      pollMs: { initial: 250, max: 5000 },
      timeoutMs: 30 * 60_000,
      pageSize: 1000,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      ...options,
    };
  }

  async findObjects(query: FindQuery): Promise<FindQueryResult> {
    if (query.mapper.location.kind !== 'glue') {
      throw new InputError(`mapper "${query.mapper.id}": Athena queries a Glue table; set location: glue: {database, table}`, { mapperId: query.mapper.id });
    }
    const { database, table } = query.mapper.location;
    const context: ErrorContext = { mapperId: query.mapper.id, partition: describePartition(query.group.values), jobId: query.jobId };
    const partitionKeyTypes = Object.keys(query.group.values).length > 0 ? await this.partitionKeyTypes(database, table, context) : {};
    const statements = buildAthenaFindSql(query, {
      manifestDatabase: this.options.manifestDatabase,
      manifestTable: this.options.manifestTable,
      database,
      table,
      partitionKeyTypes,
    });
    const objects = new Set<ObjectUri>();
    let bytesScanned = 0;
    for (const sql of statements) {
      const result = await this.limited(() => this.run(sql, context));
      result.objects.forEach((object) => objects.add(object));
      bytesScanned += result.bytesScanned;
    }
    return { objects: [...objects].sort(), bytesScanned };
  }

  async close(): Promise<void> {
    this.partitionTypes.clear();
  }

  /** Runs one statement to completion and returns the first column of every row. */
  async run(sql: string, context: ErrorContext = {}): Promise<FindQueryResult> {
    const id = await this.start(sql, context);
    const execution = await this.wait(id, context);
    const objects = await this.results(id, context);
    const bytesScanned = execution.Statistics?.DataScannedInBytes ?? 0;
    this.history.push({ queryExecutionId: id, bytesScanned, objects: objects.length });
    return { objects, bytesScanned };
  }

  private async start(sql: string, context: ErrorContext): Promise<string> {
    // One token for every attempt: if a throttled call did start the query, Athena returns the same one.
    const token = randomUUID();
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await this.options.client.send(
          new StartQueryExecutionCommand({
            QueryString: sql,
            WorkGroup: this.options.workGroup,
            ClientRequestToken: token,
            ...(this.options.outputLocation ? { ResultConfiguration: { OutputLocation: this.options.outputLocation } } : {}),
          }),
        );
        if (!response.QueryExecutionId) throw new LetheError('StartQueryExecution: Athena returned no QueryExecutionId', context);
        return response.QueryExecutionId;
      } catch (error) {
        const translated = translateAwsError(error, `StartQueryExecution in workgroup ${this.options.workGroup}`, context);
        if (!(translated instanceof TransientError) || attempt >= this.options.startAttempts) throw translated;
        await this.options.sleep(backoff(attempt, 500, 30_000));
      }
    }
  }

  private async wait(id: string, context: ErrorContext): Promise<QueryExecution> {
    const deadline = Date.now() + this.options.timeoutMs;
    let pause = this.options.pollMs.initial;
    for (;;) {
      const execution = (await this.call(`GetQueryExecution ${id}`, context, () => this.options.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id })))).QueryExecution;
      const state = execution?.Status?.State;
      if (state === 'SUCCEEDED' && execution) return execution;
      if (state === 'FAILED' || state === 'CANCELLED') {
        const reason = scrubEngineMessage(execution?.Status?.StateChangeReason ?? state ?? '');
        const athenaError = execution?.Status?.AthenaError;
        // ErrorCategory 1 is a system error; Retryable says Athena expects a retry to work.
        const ErrorClass = athenaError?.Retryable || athenaError?.ErrorCategory === 1 ? TransientError : LetheError;
        throw new ErrorClass(`Athena query ${id} ${state}: ${reason}`, context);
      }
      if (Date.now() + pause > deadline) {
        await this.options.client.send(new StopQueryExecutionCommand({ QueryExecutionId: id })).catch(() => undefined);
        throw new TransientError(`Athena query ${id} still ${state ?? 'unknown'} after ${Math.round(this.options.timeoutMs / 1000)} s; stopped`, context);
      }
      await this.options.sleep(pause);
      pause = Math.min(this.options.pollMs.max, Math.ceil(pause * 1.5));
    }
  }

  /** Pages through the results. The first row of the first page is the header, as Athena returns it for SELECT. */
  private async results(id: string, context: ErrorContext): Promise<ObjectUri[]> {
    const values: ObjectUri[] = [];
    let token: string | undefined;
    let first = true;
    do {
      const page: GetQueryResultsCommandOutput = await this.call(`GetQueryResults ${id}`, context, () =>
        this.options.client.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token, MaxResults: this.options.pageSize })),
      );
      const rows = page.ResultSet?.Rows ?? [];
      const label = page.ResultSet?.ResultSetMetadata?.ColumnInfo?.[0];
      rows.forEach((row, i) => {
        const value = row.Data?.[0]?.VarCharValue;
        if (value === undefined || value === '') return;
        if (first && i === 0 && label && (value === label.Label || value === label.Name)) return;
        values.push(parseObjectUri(value, `GetQueryResults ${id}`));
      });
      first = false;
      token = page.NextToken || undefined;
    } while (token);
    return values;
  }

  private partitionKeyTypes(database: string, table: string, context: ErrorContext): Promise<Record<string, ColumnType>> {
    const glue = this.options.glue;
    if (!glue) return Promise.resolve({});
    const cacheKey = `${database}.${table}`;
    let cached = this.partitionTypes.get(cacheKey);
    if (!cached) {
      cached = this.call(`GetTable ${cacheKey}`, context, () => glue.send(new GetTableCommand({ DatabaseName: database, Name: table }))).then((response) =>
        Object.fromEntries((response.Table?.PartitionKeys ?? []).map((key) => [key.Name ?? '', parseGlueType(key.Type ?? 'string')])),
      );
      cached.catch(() => this.partitionTypes.delete(cacheKey));
      this.partitionTypes.set(cacheKey, cached);
    }
    return cached;
  }

  private async limited<T>(run: () => Promise<T>): Promise<T> {
    while (this.running >= this.options.maxConcurrent) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await run();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  private async call<T>(what: string, context: ErrorContext, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw translateAwsError(error, what, context);
    }
  }
}

/** Exponential backoff with full jitter. */
function backoff(attempt: number, baseMs: number, maxMs: number): number {
  return Math.round(Math.random() * Math.min(maxMs, baseMs * 2 ** (attempt - 1)));
}

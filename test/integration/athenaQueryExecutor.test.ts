import assert from 'node:assert/strict';
import { AthenaClient, CreateWorkGroupCommand, GetQueryExecutionCommand } from '@aws-sdk/client-athena';
import { CreateDatabaseCommand, CreateTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { AthenaQueryExecutor } from '../../shared/adapters/aws/AthenaQueryExecutor';
import { buildAthenaFindSql } from '../../shared/adapters/aws/buildAthenaFindSql';
import { DataMapper } from '../../shared/model/dataMapper';
import { FindQuery } from '../../shared/ports/QueryExecutor';
import { parseJobId, parseStateKey } from '../../shared/model/identifiers';
import { MotoServer, startMotoServer } from '../support/motoServer';
import { pageResponses } from '../support/pagedResponses';

const mapper: DataMapper = {
  id: 'customers',
  location: { kind: 'glue', database: 'lake', table: 'customers' },
  columns: ['customer_id', 'user.email'],
  partitionKeys: ['year', 'month'],
  deleteOldVersions: true,
  ignoreObjectNotFound: false,
};

const query: FindQuery = {
  jobId: parseJobId('20261122T031500Z-a1b2c3'),
  mapper,
  table: { location: 's3://lake-bucket/customers/', format: 'parquet', columns: [], partitionKeys: ['year', 'month'] },
  group: { values: { year: '2024', month: '1' }, partitions: [] },
  matchSets: [
    { key: 'customer_id', columns: [{ configured: 'customer_id', path: ['customer_id'], type: { kind: 'int', bits: 64, signed: true } }] },
    { key: 'user.email', columns: [{ configured: 'user.email', path: ['user', 'email'], type: { kind: 'string' } }] },
  ],
};

const fast = { sleep: () => new Promise<void>((resolve) => setImmediate(resolve)) };

/** Counts calls per command, and lets a test rewrite or fail one command's calls. */
function instrument(client: AthenaClient, intercept?: (command: string, call: number) => Error | ((output: Record<string, unknown>) => void) | undefined) {
  const calls: Record<string, Array<Record<string, unknown>>> = {};
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? '';
      const list = (calls[command] ??= []);
      list.push({ ...(args.input as Record<string, unknown>) });
      const action = intercept?.(command, list.length);
      if (action instanceof Error) throw action;
      const result = await next(args);
      action?.(result.output as unknown as Record<string, unknown>);
      return result;
    },
    { step: 'initialize', name: 'instrument' },
  );
  return calls;
}

describe('AthenaQueryExecutor on moto_server', function () {
  this.timeout(60_000);
  let moto: MotoServer;
  let glue: GlueClient;

  before(async () => {
    moto = await startMotoServer();
    glue = new GlueClient({});
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'lake' } }));
    await glue.send(
      new CreateTableCommand({
        DatabaseName: 'lake',
        TableInput: {
          Name: 'customers',
          PartitionKeys: [
            { Name: 'year', Type: 'string' },
            { Name: 'month', Type: 'int' },
          ],
          StorageDescriptor: { Location: 's3://lake-bucket/customers/', Columns: [{ Name: 'customer_id', Type: 'bigint' }] },
        },
      }),
    );
    await new AthenaClient({}).send(new CreateWorkGroupCommand({ Name: 'lethe', Configuration: { ResultConfiguration: { OutputLocation: 's3://lethe-state/athena/' } } }));
  });

  after(async () => {
    glue?.destroy();
    await moto?.stop();
  });

  it('starts the query, polls until it succeeds, pages through the results and skips the header', async () => {
    const athena = new AthenaClient({});
    const calls = instrument(athena);
    const tokens = pageResponses(athena, { command: 'GetQueryResultsCommand', pageSize: 2, path: ['ResultSet', 'Rows'] });
    const objects = ['s3://lake-bucket/customers/year=2024/month=1/b.parquet', 's3://lake-bucket/customers/year=2024/month=1/a.parquet', 's3://lake-bucket/customers/year=2024/month=1/c.parquet'];
    await moto.queueAthenaResults([{ columns: ['path'], rows: [['path'], ...objects.map((o) => [o])] }]);
    // QUEUED -> RUNNING -> SUCCEEDED, each step only after three polls.
    await moto.setTransition('athena::execution', 3);
    const executor = new AthenaQueryExecutor({ client: athena, glue, workGroup: 'lethe', manifestDatabase: 'lethe', ...fast });
    const result = await executor.findObjects(query);
    assert.deepEqual(result, { objects: [...objects].sort(), bytesScanned: 0 });
    assert.equal(calls.StartQueryExecutionCommand?.length, 1);
    assert.ok((calls.GetQueryExecutionCommand?.length ?? 0) >= 5, `polled ${calls.GetQueryExecutionCommand?.length} times`);
    assert.deepEqual(tokens, [undefined, '2']);

    // The statement Athena received: the manifest join, partition values typed from Glue.
    const [record] = executor.history;
    const sent = await new AthenaClient({}).send(new GetQueryExecutionCommand({ QueryExecutionId: record!.queryExecutionId }));
    const expected = buildAthenaFindSql(query, {
      manifestDatabase: 'lethe',
      manifestTable: 'manifests',
      database: 'lake',
      table: 'customers',
      partitionKeyTypes: { year: { kind: 'string' }, month: { kind: 'int', bits: 32, signed: true } },
    });
    assert.deepEqual([sent.QueryExecution?.Query], expected);
    assert.match(sent.QueryExecution!.Query!, /WHERE t\."year" = '2024' AND t\."month" = CAST\('1' AS integer\)$/);
    assert.equal(sent.QueryExecution?.WorkGroup, 'lethe');
    await moto.setTransition('athena::execution', 1);
    athena.destroy();
  });

  it('retries a throttled start with backoff, with the same client request token', async () => {
    const athena = new AthenaClient({});
    const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 400 } });
    const calls = instrument(athena, (command, n) => (command === 'StartQueryExecutionCommand' && n <= 2 ? throttled() : undefined));
    await moto.queueAthenaResults([{ columns: ['path'], rows: [['path'], ['s3://lake-bucket/customers/year=2024/month=1/a.parquet']] }]);
    const executor = new AthenaQueryExecutor({ client: athena, glue, workGroup: 'lethe', manifestDatabase: 'lethe', ...fast });
    const result = await executor.findObjects(query);
    assert.deepEqual(result.objects, ['s3://lake-bucket/customers/year=2024/month=1/a.parquet']);
    const starts = calls.StartQueryExecutionCommand ?? [];
    assert.equal(starts.length, 3);
    assert.equal(new Set(starts.map((s) => s.ClientRequestToken)).size, 1);

    const alwaysThrottled = new AthenaClient({});
    instrument(alwaysThrottled, (command) => (command === 'StartQueryExecutionCommand' ? throttled() : undefined));
    const giveUp = new AthenaQueryExecutor({ client: alwaysThrottled, glue, workGroup: 'lethe', manifestDatabase: 'lethe', startAttempts: 3, ...fast });
    await assert.rejects(giveUp.findObjects(query), (error: Error & { context?: Record<string, string> }) => {
      assert.equal(error.name, 'TransientError');
      assert.match(error.message, /StartQueryExecution in workgroup lethe: TooManyRequestsException/);
      assert.deepEqual(error.context, { mapperId: 'customers', partition: 'year=2024/month=1', jobId: '20261122T031500Z-a1b2c3' });
      return true;
    });
    athena.destroy();
    alwaysThrottled.destroy();
  });

  it('reports a failed query with its reason, mapper and partition; retryable failures are transient', async () => {
    const failWith = (athenaError: Record<string, unknown>) => {
      const athena = new AthenaClient({});
      // moto never fails a query, so its answer is rewritten the way Athena reports a failure.
      instrument(athena, (command) =>
        command === 'GetQueryExecutionCommand'
          ? (output) => {
              const execution = output.QueryExecution as { Status: Record<string, unknown> };
              execution.Status = { State: 'FAILED', StateChangeReason: 'COLUMN_NOT_FOUND: line 5:6: Column \'customer_id\' cannot be resolved', AthenaError: athenaError };
            }
          : undefined,
      );
      return new AthenaQueryExecutor({ client: athena, glue, workGroup: 'lethe', manifestDatabase: 'lethe', ...fast });
    };
    await assert.rejects(failWith({ ErrorCategory: 2, Retryable: false }).findObjects(query), (error: Error & { context?: Record<string, string> }) => {
      assert.equal(error.name, 'LetheError');
      assert.match(error.message, /^Athena query [0-9a-f-]+ FAILED: COLUMN_NOT_FOUND/);
      assert.equal(error.context?.mapperId, 'customers');
      assert.equal(error.context?.partition, 'year=2024/month=1');
      return true;
    });
    await assert.rejects(failWith({ ErrorCategory: 1, Retryable: true }).findObjects(query), { name: 'TransientError' });
  });

  it('records the bytes each query scanned', async () => {
    const athena = new AthenaClient({});
    // moto reports 0 bytes; the statistics are set the way Athena reports them for a finished query.
    instrument(athena, (command) =>
      command === 'GetQueryExecutionCommand'
        ? (output) => {
            const execution = output.QueryExecution as { Status?: { State?: string }; Statistics?: Record<string, unknown> };
            if (execution.Status?.State === 'SUCCEEDED') execution.Statistics = { ...execution.Statistics, DataScannedInBytes: 5_242_880 };
          }
        : undefined,
    );
    await moto.queueAthenaResults([{ columns: ['path'], rows: [['path']] }]);
    const executor = new AthenaQueryExecutor({ client: athena, glue, workGroup: 'lethe', manifestDatabase: 'lethe', ...fast });
    assert.deepEqual(await executor.findObjects(query), { objects: [], bytesScanned: 5_242_880 });
    assert.equal(executor.history[0]?.bytesScanned, 5_242_880);
    athena.destroy();
  });

  it('refuses a mapper that is not a Glue table', async () => {
    const executor = new AthenaQueryExecutor({ client: new AthenaClient({}), workGroup: 'lethe', manifestDatabase: 'lethe' });
    await assert.rejects(executor.findObjects({ ...query, mapper: { ...mapper, location: { kind: 'prefix', uri: 's3://lake-bucket/customers/' } } }), {
      name: 'InputError',
      message: /mapper "customers": Athena queries a Glue table/,
    });
  });
});

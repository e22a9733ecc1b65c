import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { BatchCreatePartitionCommand, CreateDatabaseCommand, CreateTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { CreateClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AwsPorts, createAwsPorts } from '../../shared/adapters/aws/createAwsPorts';
import { runJob } from '../../shared/job/runJob';
import { startJob } from '../../shared/job/startJob';
import { parseLetheConfig } from '../../shared/model/config';
import { enqueueMatches } from '../../shared/queue/deletionQueue';
import { MotoServer, startMotoServer } from '../support/motoServer';

const PARQUET = {
  InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
};

/**
 * The coverage proof on AWS: a Glue table names only the partitions someone registered, and Athena
 * reads only those. Objects under the table's location outside every registered partition are not
 * read, so the find must fail naming them instead of finding nothing and ending COMPLETED.
 */
describe('the find on AWS accounts for every object under a Glue table (moto_server)', function () {
  this.timeout(60_000);
  let moto: MotoServer;
  let ports: AwsPorts;
  const clients: Array<{ destroy(): void }> = [];

  before(async () => {
    moto = await startMotoServer();
    const s3 = new S3Client({ forcePathStyle: true });
    const glue = new GlueClient({});
    const sqs = new SQSClient({});
    const ecs = new ECSClient({});
    clients.push(s3, glue, sqs, ecs);
    for (const bucket of ['lake', 'lethe-state']) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const key of ['orders/year=2024/part-0.parquet', 'orders/_SUCCESS', 'visits/year=2024/part-0.parquet', 'visits/year=2025/part-0.parquet', 'visits/year=2025/_SUCCESS']) {
      await s3.send(new PutObjectCommand({ Bucket: 'lake', Key: key, Body: 'never read: the find fails before any query' }));
    }
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'lake' } }));
    for (const table of ['orders', 'visits']) {
      await glue.send(
        new CreateTableCommand({
          DatabaseName: 'lake',
          TableInput: {
            Name: table,
            PartitionKeys: [{ Name: 'year', Type: 'string' }],
            StorageDescriptor: { Location: `s3://lake/${table}/`, Columns: [{ Name: 'customer_id', Type: 'bigint' }], ...PARQUET },
          },
        }),
      );
    }
    await glue.send(
      new BatchCreatePartitionCommand({
        DatabaseName: 'lake',
        TableName: 'visits',
        PartitionInputList: [{ Values: ['2024'], StorageDescriptor: { Location: 's3://lake/visits/year=2024/', ...PARQUET } }],
      }),
    );
    // A projected table: Glue lists no partition; Athena reads eu|us x 2024-01-01..03 under the template.
    for (const key of ['events/data/eu/2024-01-02/part-0.parquet', 'events/data/us/2024-01-03/part-0.parquet', 'events/data/us/2024-01-05/part-0.parquet', 'events/data/eu/2024-01-01/_SUCCESS']) {
      await s3.send(new PutObjectCommand({ Bucket: 'lake', Key: key, Body: 'never read: the find fails before any query' }));
    }
    await glue.send(
      new CreateTableCommand({
        DatabaseName: 'lake',
        TableInput: {
          Name: 'events',
          Parameters: {
            'projection.enabled': 'true',
            'projection.region.type': 'enum',
            'projection.region.values': 'eu,us',
            'projection.dt.type': 'date',
            'projection.dt.range': '2024-01-01,2024-01-03',
            'projection.dt.format': 'yyyy-MM-dd',
            'storage.location.template': 's3://lake/events/data/${region}/${dt}/',
          },
          PartitionKeys: [
            { Name: 'region', Type: 'string' },
            { Name: 'dt', Type: 'string' },
          ],
          StorageDescriptor: { Location: 's3://lake/events/', Columns: [{ Name: 'customer_id', Type: 'bigint' }], ...PARQUET },
        },
      }),
    );
    await ecs.send(new CreateClusterCommand({ clusterName: 'lethe' }));
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'lethe-forget', containerDefinitions: [{ name: 'forget', image: 'lethe:latest', memory: 1024 }] }));
    await ecs.send(new CreateServiceCommand({ cluster: 'lethe', serviceName: 'lethe-forget', taskDefinition: 'lethe-forget', desiredCount: 0 }));
    ports = createAwsPorts({
      ...process.env,
      LETHE_MODE: 'aws',
      LETHE_STATE_BUCKET: 'lethe-state',
      LETHE_QUEUE_URL: (await sqs.send(new CreateQueueCommand({ QueueName: 'lethe' }))).QueueUrl!,
      LETHE_DLQ_URL: (await sqs.send(new CreateQueueCommand({ QueueName: 'lethe-dlq' }))).QueueUrl!,
      LETHE_ATHENA_WORKGROUP: 'primary',
      LETHE_GLUE_DATABASE: 'lethe',
      LETHE_CLUSTER: 'lethe',
      LETHE_FORGET_SERVICE: 'lethe-forget',
      LETHE_FIND_TASK_DEFINITION: 'lethe-find',
      LETHE_HMAC_KEY_PARAMETER: '/lethe/test/hmac-key',
      LETHE_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:lethe-jobs',
    });
  });

  after(async () => {
    for (const client of clients) client.destroy();
    await moto?.stop();
  });

  async function runFind(table: string, partitionKeys = ['year']) {
    const config = parseLetheConfig(
      { dataMappers: [{ id: table, location: { glue: { database: 'lake', table } }, columns: ['customer_id'], partitionKeys }] },
      'test config',
    );
    await enqueueMatches(ports.state, [{ match: { kind: 'simple', value: '7' } }]);
    const job = await startJob(ports.state, config, 'test');
    return runJob(ports, job.id, { hmacKey: randomBytes(32), pollIntervalMs: 50 });
  }

  it('a partitioned table with no registered partition: FIND_FAILED naming the table and an object, never COMPLETED', async () => {
    const job = await runFind('orders');
    assert.equal(job.status, 'FIND_FAILED');
    assert.match(
      job.failure ?? '',
      /mapper "orders" \(glue:lake\.orders\): 1 of 2 objects under s3:\/\/lake\/orders\/ lie in no partition the catalog lists, so no find query would read them, e\.g\. s3:\/\/lake\/orders\/year=2024\/part-0\.parquet/,
    );
  });

  it('objects outside every registered partition count as not read: FIND_FAILED naming one', async () => {
    const job = await runFind('visits');
    assert.equal(job.status, 'FIND_FAILED');
    assert.match(job.failure ?? '', /mapper "visits" \(glue:lake\.visits\): 1 of 3 objects .* e\.g\. s3:\/\/lake\/visits\/year=2025\/part-0\.parquet/);
  });

  it('a projected table: an object past the projected dates is not read, FIND_FAILED naming it', async () => {
    const job = await runFind('events', ['dt']);
    assert.equal(job.status, 'FIND_FAILED');
    assert.match(
      job.failure ?? '',
      /mapper "events" \(glue:lake\.events\): 1 of 4 objects under s3:\/\/lake\/events\/data\/ lie in no partition the catalog projects, so no find query would read them, e\.g\. s3:\/\/lake\/events\/data\/us\/2024-01-05\/part-0\.parquet: widen the table's partition projection/,
    );
  });
});

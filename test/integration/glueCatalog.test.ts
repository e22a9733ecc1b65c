import assert from 'node:assert/strict';
import { BatchCreatePartitionCommand, CreateDatabaseCommand, CreateTableCommand, GlueClient, TableInput } from '@aws-sdk/client-glue';
import { GlueCatalog } from '../../shared/adapters/aws/GlueCatalog';
import { DataMapper } from '../../shared/model/dataMapper';
import { MotoServer, startMotoServer } from '../support/motoServer';
import { lakeTableSpec } from '../../infra/glueTables';
import { pageResponses } from '../support/pagedResponses';

const PARQUET = {
  InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
};

function mapper(table: string, extra: Partial<DataMapper> = {}): DataMapper {
  return {
    id: table.replace(/_/g, '-'),
    location: { kind: 'glue', database: 'lake', table },
    columns: ['customer_id'],
    partitionKeys: [],
    deleteOldVersions: true,
    ignoreObjectNotFound: false,
    ...extra,
  };
}

describe('GlueCatalog on moto_server', function () {
  this.timeout(60_000);
  let moto: MotoServer;
  let glue: GlueClient;
  let catalog: GlueCatalog;

  const createTable = (input: TableInput) => glue.send(new CreateTableCommand({ DatabaseName: 'lake', TableInput: input }));

  before(async () => {
    moto = await startMotoServer();
    glue = new GlueClient({});
    catalog = new GlueCatalog({ client: glue });
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'lake' } }));
    await createTable({
      Name: 'customers',
      PartitionKeys: [
        { Name: 'year', Type: 'string' },
        { Name: 'month', Type: 'int' },
      ],
      StorageDescriptor: {
        Location: 's3a://lake-bucket/customers/',
        Columns: [
          { Name: 'customer_id', Type: 'bigint' },
          { Name: 'user', Type: 'struct<email:string,name:struct<first:varchar(40),last:varchar(40)>,phones:array<string>>' },
          { Name: 'balance', Type: 'decimal(12,2)' },
          { Name: 'signed_up', Type: 'timestamp' },
          { Name: 'attributes', Type: 'map<string,string>' },
        ],
        ...PARQUET,
      },
    });
    const partition = (year: string, month: number) => ({
      Values: [year, String(month)],
      StorageDescriptor: { Location: `s3://lake-bucket/customers/year=${year}/month=${month}/`, ...PARQUET },
    });
    await glue.send(
      new BatchCreatePartitionCommand({
        DatabaseName: 'lake',
        TableName: 'customers',
        PartitionInputList: [partition('2024', 2), partition('2023', 12), partition('2024', 1)],
      }),
    );
  });

  after(async () => {
    glue?.destroy();
    await moto?.stop();
  });

  it('reads a partitioned Parquet table with struct columns: location, format, typed columns, partition keys', async () => {
    const table = await catalog.describeTable(mapper('customers'));
    assert.deepEqual(table, {
      location: 's3://lake-bucket/customers/',
      format: 'parquet',
      partitionKeys: ['year', 'month'],
      columns: [
        { name: 'customer_id', type: { kind: 'int', bits: 64, signed: true } },
        {
          name: 'user',
          type: {
            kind: 'struct',
            fields: [
              { name: 'email', type: { kind: 'string' } },
              {
                name: 'name',
                type: {
                  kind: 'struct',
                  fields: [
                    { name: 'first', type: { kind: 'string' } },
                    { name: 'last', type: { kind: 'string' } },
                  ],
                },
              },
              { name: 'phones', type: { kind: 'other', name: 'array<string>' } },
            ],
          },
        },
        { name: 'balance', type: { kind: 'decimal', precision: 12, scale: 2 } },
        { name: 'signed_up', type: { kind: 'timestamp', unit: 'ms', withTimeZone: false } },
        { name: 'attributes', type: { kind: 'other', name: 'map<string,string>' } },
      ],
    });
  });

  it('lists the partitions with their values and locations', async () => {
    const m = mapper('customers');
    const partitions = await catalog.listPartitions(m, await catalog.describeTable(m));
    assert.deepEqual(partitions, [
      { values: { year: '2023', month: '12' }, location: 's3://lake-bucket/customers/year=2023/month=12/' },
      { values: { year: '2024', month: '1' }, location: 's3://lake-bucket/customers/year=2024/month=1/' },
      { values: { year: '2024', month: '2' }, location: 's3://lake-bucket/customers/year=2024/month=2/' },
    ]);
  });

  it('pages through GetPartitions', async () => {
    const paged = new GlueClient({});
    const tokens = pageResponses(paged, { command: 'GetPartitionsCommand', pageSize: 2, path: ['Partitions'] });
    const m = mapper('customers');
    const partitions = await new GlueCatalog({ client: paged }).listPartitions(m, await catalog.describeTable(m));
    assert.equal(partitions.length, 3);
    assert.deepEqual(tokens, [undefined, '2']);
    paged.destroy();
  });

  it('tells JSON and CSV tables by their SerDe, and an unpartitioned table is one partition', async () => {
    await createTable({
      Name: 'events_json',
      StorageDescriptor: { Location: 's3://lake-bucket/events/', Columns: [{ Name: 'customer_id', Type: 'string' }], SerdeInfo: { SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' } },
    });
    await createTable({
      Name: 'leads_csv',
      StorageDescriptor: {
        Location: 's3://lake-bucket/leads/',
        Columns: [{ Name: 'email', Type: 'string' }],
        SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe', Parameters: { 'field.delim': ',' } },
      },
    });
    const json = await catalog.describeTable(mapper('events_json'));
    assert.equal(json.format, 'json');
    assert.deepEqual(await catalog.listPartitions(mapper('events_json'), json), [{ values: {}, location: 's3://lake-bucket/events/' }]);
    assert.equal((await catalog.describeTable(mapper('leads_csv'))).format, 'csv');
    // The CSV table as the Pulumi program declares it reads back as CSV.
    const declared = lakeTableSpec({ database: 'lake', name: 'declared_csv', location: 's3://lake-bucket/declared/', create: true, format: 'csv', columns: [{ name: 'email', type: 'string' }], partitionKeys: [], projection: {} });
    const serde = declared.storageDescriptor.serDeInfo;
    await createTable({
      Name: 'declared_csv',
      StorageDescriptor: { Location: 's3://lake-bucket/declared/', Columns: [{ Name: 'email', Type: 'string' }], SerdeInfo: { SerializationLibrary: serde.serializationLibrary, Parameters: serde.parameters } },
    });
    assert.equal((await catalog.describeTable(mapper('declared_csv'))).format, 'csv');
    await assert.rejects(catalog.describeTable(mapper('leads_csv', { format: 'parquet' })), {
      name: 'InputError',
      message: /mapper "leads-csv": Glue table lake\.leads_csv: the mapper says format parquet but the table's SerDe .* is csv/,
    });
  });

  it('reads a partition-projected table: its projection, and the template folder as its location', async () => {
    await createTable({
      Name: 'clicks_projected',
      Parameters: {
        'projection.enabled': 'true',
        'projection.region.type': 'enum',
        'projection.region.values': 'eu,us',
        'projection.dt.type': 'date',
        'projection.dt.range': 'NOW-3YEARS,NOW',
        'projection.dt.format': 'yyyy/MM/dd',
        'storage.location.template': 's3a://lake-bucket/clicks/data/${region}/${dt}/',
      },
      PartitionKeys: [
        { Name: 'region', Type: 'string' },
        { Name: 'dt', Type: 'string' },
      ],
      StorageDescriptor: { Location: 's3://lake-bucket/clicks/', Columns: [{ Name: 'customer_id', Type: 'bigint' }], ...PARQUET },
    });
    const m = mapper('clicks_projected', { partitionKeys: ['region'] });
    const table = await catalog.describeTable(m);
    assert.equal(table.location, 's3://lake-bucket/clicks/data/');
    assert.deepEqual(table.partitionKeys, ['region', 'dt']);
    assert.deepEqual(table.projection, {
      template: 's3://lake-bucket/clicks/data/${region}/${dt}/',
      keys: [
        { kind: 'enum', key: 'region', values: ['eu', 'us'] },
        {
          kind: 'date',
          key: 'dt',
          formatText: 'yyyy/MM/dd',
          format: [
            { kind: 'field', field: 'year' },
            { kind: 'literal', text: '/' },
            { kind: 'field', field: 'month' },
            { kind: 'literal', text: '/' },
            { kind: 'field', field: 'day' },
          ],
          start: { kind: 'now', offset: -3, unit: 'YEARS' },
          end: { kind: 'now', offset: 0, unit: 'DAYS' },
          interval: 1,
          unit: 'DAYS',
        },
      ],
    });
    await assert.rejects(catalog.listPartitions(m, table), { message: /mapper "clicks-projected": the table projects its partitions; Glue lists none/ });
  });

  it('refuses a projection it cannot plan from, naming the table and the key', async () => {
    const projected = (name: string, parameters: Record<string, string>, keyType = 'string') =>
      createTable({
        Name: name,
        Parameters: { 'projection.enabled': 'true', ...parameters },
        PartitionKeys: [{ Name: 'dt', Type: keyType }],
        StorageDescriptor: { Location: `s3://lake-bucket/${name}/`, Columns: [{ Name: 'customer_id', Type: 'bigint' }], ...PARQUET },
      });
    await projected('injected_dt', { 'projection.dt.type': 'injected' });
    await projected('fortnights_dt', { 'projection.dt.type': 'date', 'projection.dt.range': '2024-01-01,NOW', 'projection.dt.format': 'yyyy-MM-dd', 'projection.dt.interval.unit': 'FORTNIGHTS' });
    await projected('int_dt', { 'projection.dt.type': 'date', 'projection.dt.range': '20240101,NOW', 'projection.dt.format': 'yyyyMMdd' }, 'int');
    await assert.rejects(catalog.describeTable(mapper('injected_dt')), { name: 'InputError', message: /^mapper "injected-dt": Glue table lake\.injected_dt: partition projection of key "dt": type injected is not supported/ });
    await assert.rejects(catalog.describeTable(mapper('fortnights_dt')), { name: 'InputError', message: /Glue table lake\.fortnights_dt: partition projection of key "dt": interval\.unit "FORTNIGHTS" is not a unit/ });
    await assert.rejects(catalog.describeTable(mapper('int_dt')), { name: 'InputError', message: /Glue table lake\.int_dt: partition projection of key "dt": a date projection on a column of type int is supported only as string/ });
  });

  it('refuses what it cannot erase safely, naming the mapper and table', async () => {
    await createTable({ Name: 'orders_iceberg', Parameters: { table_type: 'ICEBERG' }, StorageDescriptor: { Location: 's3://lake-bucket/orders/', Columns: [], ...PARQUET } });
    await createTable({ Name: 'orders_orc', StorageDescriptor: { Location: 's3://lake-bucket/orc/', Columns: [], SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.orc.OrcSerde' } } });
    await assert.rejects(catalog.describeTable(mapper('orders_iceberg')), { name: 'InputError', message: /Iceberg table.*not supported/ });
    await assert.rejects(catalog.describeTable(mapper('orders_orc')), { name: 'InputError', message: /mapper "orders-orc".*OrcSerde.*not parquet, JSON or CSV/ });
    await assert.rejects(catalog.describeTable(mapper('nope')), { name: 'InputError', message: /^mapper "nope": Glue table lake\.nope not found$/ });
    await assert.rejects(catalog.describeTable({ ...mapper('customers'), location: { kind: 'prefix', uri: 's3://lake-bucket/customers/' } }), {
      name: 'InputError',
      message: /glue: \{database, table\}/,
    });
  });
});

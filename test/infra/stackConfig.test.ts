import * as assert from 'node:assert/strict';
import { parseStackConfig } from '../../infra/stackConfig';
import { DEFAULT_SETTINGS } from '../../shared/model/settings';
import { stackConfigFromFile } from '../support/pulumiHarness';

const minimal = () => ({
  lake: {
    buckets: [{ name: 'acme-lake' }],
    tables: [
      {
        database: 'lake',
        name: 'customers',
        location: 's3://acme-lake/customers/',
        create: true,
        format: 'parquet',
        columns: [{ name: 'id', type: 'bigint' }, { name: 'user', type: 'struct<email:string>' }],
        partitionKeys: [{ name: 'year', type: 'string', projection: { type: 'integer', range: [2020, 2030] } as Record<string, unknown> }],
      } as Record<string, unknown>,
    ],
  },
  dataMappers: [{ id: 'customers', location: { glue: { database: 'lake', table: 'customers' } }, columns: ['id', 'user.email'], partitionKeys: ['year'] }],
});

describe('infra: parseStackConfig', () => {
  it('reads both stack files of the repository', () => {
    const dev = parseStackConfig(stackConfigFromFile('Pulumi.dev.yaml'), 'dev');
    assert.equal(dev.names.prefix, 'lethe-dev');
    assert.deepEqual(dev.network, { kind: 'create', cidrBlock: '10.80.0.0/16', availabilityZones: 2 });
    assert.equal(dev.notificationEmail, 'privacy-ops@example.com');
    assert.equal(dev.settings.requireApproval, true);
    const lake2 = parseStackConfig(stackConfigFromFile('test/infra/Pulumi.lake2.yaml'), 'lake2');
    assert.deepEqual(lake2.lakeBuckets.map((b) => [b.name, b.create]), [['acme-raw', false], ['acme-curated', false]]);
    assert.equal(lake2.dataMappers.length, 3);
  });

  it('fills defaults for a minimal config', () => {
    const config = parseStackConfig(minimal(), 'prod');
    assert.deepEqual(config.settings, DEFAULT_SETTINGS);
    assert.equal(config.logRetentionDays, 90);
    assert.equal(config.forceDestroy, false);
    assert.equal(config.lakeFormation, false);
    assert.equal(config.bytesScannedCutoffPerQuery, 10 * 1024 ** 3);
    assert.equal(config.names.glueDatabase, 'lethe_prod');
  });

  it('reads lethe:lakeFormation as a boolean, and names it when it is not one', () => {
    assert.equal(parseStackConfig({ ...minimal(), lakeFormation: true }, 'prod').lakeFormation, true);
    assert.throws(() => parseStackConfig({ ...minimal(), lakeFormation: 'yes' }, 'prod'), { name: 'InputError', message: /Pulumi\.prod\.yaml: lethe:lakeFormation/ });
  });

  it('names the missing lake key', () => {
    assert.throws(() => parseStackConfig({}, 'dev'), { name: 'InputError', message: /^Pulumi\.dev\.yaml: lethe:lake: expected an object, got undefined$/ });
  });

  it('lists every problem at once, one line each, naming the key', () => {
    const raw = {
      ...minimal(),
      logRetentionDays: 42,
      notificationEmail: 'not-an-address',
      settings: { forgetConcurrency: 0 },
      network: { vpcId: 'vpc-1', subnetIds: [] },
    };
    assert.throws(() => parseStackConfig(raw, 'dev'), (error: Error) => {
      assert.equal(error.name, 'InputError');
      const lines = error.message.split('\n');
      assert.equal(lines[0], 'Pulumi.dev.yaml: the stack config has problems:');
      assert.equal(lines.length, 5);
      assert.match(error.message, /lethe:settings\.forgetConcurrency: expected a whole number from 1 to 64, got 0/);
      assert.match(error.message, /lethe:network\.subnetIds: name at least one private subnet/);
      assert.match(error.message, /lethe:logRetentionDays: CloudWatch Logs accepts 1, 3, 5/);
      assert.match(error.message, /lethe:notificationEmail: "not-an-address" is not an e-mail address/);
      return true;
    });
  });

  it('rejects a mapper whose table, columns or partition keys are not declared', () => {
    const raw = minimal();
    raw.dataMappers.push(
      { id: 'orders', location: { glue: { database: 'lake', table: 'orders' } }, columns: ['id'], partitionKeys: [] },
      { id: 'typo', location: { glue: { database: 'lake', table: 'customers' } }, columns: ['emial'], partitionKeys: ['month'] },
    );
    assert.throws(() => parseStackConfig(raw, 'dev'), (error: Error) => {
      assert.match(error.message, /lethe:dataMappers\[1\] \(mapper "orders"\)\.location: Glue table "lake\.orders" is not in lethe:lake\.tables \(name it there with its location, so the task roles may read it\)/);
      assert.match(error.message, /lethe:dataMappers\[2\] \(mapper "typo"\)\.columns: "emial" not in table "lake\.customers"/);
      assert.match(error.message, /lethe:dataMappers\[2\] \(mapper "typo"\)\.partitionKeys: "month" not a partition key of table "lake\.customers"/);
      return true;
    });
  });

  it('rejects a prefix mapper on AWS, a table outside the lake buckets and the HMAC key in clear', () => {
    const raw = minimal();
    raw.lake.tables[0]!.location = 's3://elsewhere/customers/';
    const withPrefix = { ...raw, dataMappers: [{ id: 'p', location: 's3://acme-lake/x/', format: 'json', columns: ['id'] }], settings: { hmacKey: 'ab'.repeat(16) } };
    assert.throws(() => parseStackConfig(withPrefix, 'dev'), (error: Error) => {
      assert.match(error.message, /lethe:settings\.hmacKey: do not put the HMAC key in stack config/);
      return true;
    });
    assert.throws(() => parseStackConfig({ ...raw, dataMappers: [{ id: 'p', location: 's3://acme-lake/x/', format: 'json', columns: ['id'] }] }, 'dev'), (error: Error) => {
      assert.match(error.message, /lethe:lake\.tables\[0\] \(table "lake\.customers"\)\.location: bucket "elsewhere" is not in lethe:lake\.buckets/);
      assert.match(error.message, /\(mapper "p"\)\.location: on AWS a mapper names a Glue table/);
      return true;
    });
  });

  it('rejects an unknown lethe: key', () => {
    assert.throws(() => parseStackConfig({ ...minimal(), dataMapper: [] }, 'dev'), {
      name: 'InputError',
      message: /^Pulumi\.dev\.yaml: unknown key lethe:dataMapper \(allowed: lethe:lake, lethe:dataMappers, /,
    });
  });

  it('rejects unknown keys, so a typo never passes silently', () => {
    assert.throws(() => parseStackConfig({ ...minimal(), athena: { bytesScanned: 1 } }, 'dev'), {
      name: 'InputError',
      message: 'Pulumi.dev.yaml: lethe:athena: unknown key "bytesScanned" (allowed: bytesScannedCutoffPerQuery)',
    });
  });

  it('references an existing table by name and location, without checking what Glue holds', () => {
    const raw = {
      lake: { buckets: [{ name: 'acme-lake' }], tables: [{ database: 'lake', name: 'orders', location: 's3://acme-lake/orders/' }] },
      dataMappers: [{ id: 'orders', location: { glue: { database: 'lake', table: 'orders' } }, columns: ['user.email'], partitionKeys: ['dt'] }],
    };
    assert.deepEqual(parseStackConfig(raw, 'prod').lakeTables, [{ database: 'lake', name: 'orders', location: 's3://acme-lake/orders/', create: false }]);
    const described = { ...raw, lake: { ...raw.lake, tables: [{ ...raw.lake.tables[0], format: 'json', columns: [] }] } };
    assert.throws(() => parseStackConfig(described, 'prod'), {
      name: 'InputError',
      message: /lethe:lake\.tables\[0\] \(table "lake\.orders"\): format, columns describe a table lethe creates \(create: true\); an existing table's definition is read from Glue/,
    });
  });

  it('turns a declared table\'s key projections into Glue projection parameters', () => {
    const raw = minimal();
    Object.assign(raw.lake.tables[0]!, {
      partitionKeys: [
        { name: 'region', type: 'string', projection: { type: 'enum', values: ['eu', 'us'] } },
        { name: 'dt', type: 'string', projection: { type: 'date', format: 'yyyy/MM/dd', range: ['NOW-3YEARS', 'NOW'], interval: 1, unit: 'DAYS' } },
      ],
      locationTemplate: 's3://acme-lake/customers/${region}/${dt}/',
    });
    raw.dataMappers[0]!.partitionKeys = ['dt'];
    const [table] = parseStackConfig(raw, 'prod').lakeTables;
    assert.ok(table?.create);
    assert.deepEqual(table.partitionKeys, [{ name: 'region', type: 'string' }, { name: 'dt', type: 'string' }]);
    assert.deepEqual(table.projection, {
      'projection.enabled': 'true',
      'projection.region.type': 'enum',
      'projection.region.values': 'eu,us',
      'projection.dt.type': 'date',
      'projection.dt.range': 'NOW-3YEARS,NOW',
      'projection.dt.interval': '1',
      'projection.dt.format': 'yyyy/MM/dd',
      'projection.dt.interval.unit': 'DAYS',
      'storage.location.template': 's3://acme-lake/customers/${region}/${dt}/',
    });
  });

  it('refuses a declared partition key without a projection, or with one the find could not plan from', () => {
    const raw = minimal();
    Object.assign(raw.lake.tables[0]!, {
      partitionKeys: [
        { name: 'year', type: 'string' },
        { name: 'dt', type: 'string', projection: { type: 'date', format: 'yyyy-MM-dd', range: ['NOW-3FORTNIGHTS', 'NOW'] } },
        { name: 'job', type: 'string', projection: { type: 'injected' } },
      ],
      locationTemplate: 's3://acme-lake/elsewhere/${dt}/',
    });
    assert.throws(() => parseStackConfig(raw, 'dev'), (error: Error) => {
      assert.match(error.message, /lethe:lake\.tables\[0\] \(table "lake\.customers"\)\.partitionKeys\[0\]\.projection: a partitioned table lethe creates projects its partitions/);
      return true;
    });
    (raw.lake.tables[0]!.partitionKeys as Array<Record<string, unknown>>).shift();
    assert.throws(() => parseStackConfig(raw, 'dev'), { message: /partitionKeys\[1\]\.projection\.type: expected one of enum, integer, date, got "injected"/ });
    (raw.lake.tables[0]!.partitionKeys as Array<Record<string, unknown>>).pop();
    assert.throws(() => parseStackConfig(raw, 'dev'), { message: /locationTemplate: "s3:\/\/acme-lake\/elsewhere\/\$\{dt\}\/" must lie under the table's location s3:\/\/acme-lake\/customers\// });
    delete raw.lake.tables[0]!.locationTemplate;
    assert.throws(() => parseStackConfig(raw, 'dev'), { message: /\(table "lake\.customers"\): partition projection of key "dt": range end "NOW-3FORTNIGHTS": unit "FORTNIGHTS" is not a unit lethe supports/ });
  });
});

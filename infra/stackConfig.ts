import { DATA_FORMATS, DataFormat, DataMapper, parseDataMappers } from '../shared/model/dataMapper';
import { InputError } from '../shared/model/errors';
import {
  collectProblems,
  expectArray,
  expectBoolean,
  expectInteger,
  expectNonEmptyString,
  expectOneOf,
  expectRecord,
  isRecord,
  rejectUnknownKeys,
} from '../shared/model/fields';
import { parsePartitionProjection } from '../shared/model/partitionProjection';
import { DEFAULT_SETTINGS, Settings, parseSettings } from '../shared/model/settings';
import { ResourceNames, resourceNamesFor } from './resourceNames';

/** A lake bucket: an existing one lethe is granted access to, or a fresh one lethe creates. */
export interface LakeBucket {
  name: string;
  create: boolean;
  /** The bucket's SSE-KMS key when it is not lethe's own; the task roles may use it. */
  kmsKeyArn?: string;
}

export interface GlueColumn {
  name: string;
  /** Glue/Hive type text: bigint, string, decimal(10,2), struct<email:string>. */
  type: string;
}

/** A lake table the mappers may name: where its objects lie, so the task roles reach exactly that. */
interface LakeTableBase {
  database: string;
  name: string;
  /** s3://bucket/prefix/ inside one of the lake buckets: the folder holding every object of the table. */
  location: string;
}

/** A table that exists in Glue already: lethe reads its definition there and never creates, changes or deletes it. */
export interface ReferencedLakeTable extends LakeTableBase {
  create: false;
}

/** A table lethe declares in Glue (opt-in, `create: true`); partitioned ones project their partitions. */
export interface DeclaredLakeTable extends LakeTableBase {
  create: true;
  format: DataFormat;
  columns: GlueColumn[];
  partitionKeys: GlueColumn[];
  /** Glue table parameters of its partition projection (`projection.*`, `storage.location.template`); {} when unpartitioned. */
  projection: Record<string, string>;
}

export type LakeTable = ReferencedLakeTable | DeclaredLakeTable;

export type NetworkConfig =
  | { kind: 'existing'; vpcId: string; subnetIds: string[] }
  | { kind: 'create'; cidrBlock: string; availabilityZones: number };

export interface LetheStackConfig {
  stack: string;
  names: ResourceNames;
  lakeBuckets: LakeBucket[];
  lakeTables: LakeTable[];
  dataMappers: DataMapper[];
  settings: Settings;
  network: NetworkConfig;
  /** Athena cost guard: a query scanning more than this is cancelled. */
  bytesScannedCutoffPerQuery: number;
  logRetentionDays: number;
  notificationEmail?: string;
  /** Let `pulumi destroy` delete non-empty buckets (dev stacks). */
  forceDestroy: boolean;
  /** Ephemeral disk per forget task: rewrites stream objects through it. */
  forgetEphemeralStorageGiB: number;
  /** The mapped tables are governed by Lake Formation: grant the task roles on them (infra/lakeFormation.ts). */
  lakeFormation: boolean;
}

/** Stack config keys, in the `lethe:` namespace. */
export const STACK_CONFIG_KEYS = [
  'lake',
  'dataMappers',
  'settings',
  'network',
  'athena',
  'logRetentionDays',
  'notificationEmail',
  'forceDestroy',
  'forgetEphemeralStorageGiB',
  'lakeFormation',
] as const;

/** Retention values CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
const GLUE_NAME = /^[a-z0-9_]{1,255}$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const GLUE_TYPE = /^[a-z][a-z0-9_<>,:() ]*$/i;
const ATHENA_MIN_CUTOFF = 10 * 1024 * 1024;
const TEN_GIB = 10 * 1024 ** 3;

/**
 * Parses and cross-checks a stack's `lethe:*` config. Every problem is collected and thrown once,
 * one line each, naming the key: `Pulumi.dev.yaml: lethe:dataMappers[1] (mapper "orders").location: ...`.
 */
export function parseStackConfig(raw: Record<string, unknown>, stack: string, where = `Pulumi.${stack}.yaml`): LetheStackConfig {
  const at = (key: string) => `${where}: lethe:${key}`;
  let lakeBuckets: LakeBucket[] = [];
  let lakeTables: LakeTable[] = [];
  let dataMappers: DataMapper[] = [];
  let settings: Settings = { ...DEFAULT_SETTINGS };
  let network: NetworkConfig = { kind: 'create', cidrBlock: '10.80.0.0/16', availabilityZones: 2 };
  let bytesScannedCutoffPerQuery = TEN_GIB;
  let logRetentionDays = 90;
  let notificationEmail: string | undefined;
  let forceDestroy = false;
  let forgetEphemeralStorageGiB = 50;
  let lakeFormation = false;
  collectProblems(
    [
      () => {
        const unknown = Object.keys(raw).filter((key) => !(STACK_CONFIG_KEYS as readonly string[]).includes(key));
        if (unknown.length > 0) throw new InputError(`${where}: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `lethe:${k}`).join(', ')} (allowed: ${STACK_CONFIG_KEYS.map((k) => `lethe:${k}`).join(', ')})`);
      },
      () => {
        const lake = expectRecord(raw.lake, at('lake'));
        rejectUnknownKeys(lake, ['buckets', 'tables'], at('lake'));
        collectProblems(
          [
            () => (lakeBuckets = expectArray(lake.buckets, `${at('lake')}.buckets`).map((b, i) => parseLakeBucket(b, `${at('lake')}.buckets[${i}]`))),
            () => (lakeTables = expectArray(lake.tables ?? [], `${at('lake')}.tables`).map((t, i) => parseLakeTable(t, `${at('lake')}.tables[${i}]`))),
          ],
          `${at('lake')}: several problems`,
        );
      },
      () => (dataMappers = parseDataMappers(raw.dataMappers ?? [], at('dataMappers'))),
      () => {
        settings = parseSettings(raw.settings, at('settings'));
        // Stack config is stored in clear in Pulumi.<stack>.yaml; the key would be readable by anyone
        // with the repository. The stack generates one in an SSM SecureString parameter instead.
        if (settings.hmacKey !== undefined) throw new InputError(`${at('settings')}.hmacKey: do not put the HMAC key in stack config; the stack generates one in the SSM parameter /lethe/<stack>/hmac-key`);
      },
      () => raw.network !== undefined && (network = parseNetwork(raw.network, at('network'))),
      () => {
        if (raw.athena === undefined) return;
        const athena = expectRecord(raw.athena, at('athena'));
        rejectUnknownKeys(athena, ['bytesScannedCutoffPerQuery'], at('athena'));
        if (athena.bytesScannedCutoffPerQuery !== undefined) {
          bytesScannedCutoffPerQuery = expectInteger(athena.bytesScannedCutoffPerQuery, `${at('athena')}.bytesScannedCutoffPerQuery`, ATHENA_MIN_CUTOFF, Number.MAX_SAFE_INTEGER);
        }
      },
      () => {
        if (raw.logRetentionDays === undefined) return;
        logRetentionDays = expectInteger(raw.logRetentionDays, at('logRetentionDays'), 1, 3653);
        if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) throw new InputError(`${at('logRetentionDays')}: CloudWatch Logs accepts ${LOG_RETENTION_DAYS.join(', ')}, got ${logRetentionDays}`);
      },
      () => {
        if (raw.notificationEmail === undefined) return;
        const email = expectNonEmptyString(raw.notificationEmail, at('notificationEmail'));
        if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new InputError(`${at('notificationEmail')}: "${email}" is not an e-mail address`);
        notificationEmail = email;
      },
      () => raw.forceDestroy !== undefined && (forceDestroy = expectBoolean(raw.forceDestroy, at('forceDestroy'))),
      () => raw.forgetEphemeralStorageGiB !== undefined && (forgetEphemeralStorageGiB = expectInteger(raw.forgetEphemeralStorageGiB, at('forgetEphemeralStorageGiB'), 21, 200)),
      () => raw.lakeFormation !== undefined && (lakeFormation = expectBoolean(raw.lakeFormation, at('lakeFormation'))),
    ],
    `${where}: the stack config has problems`,
  );
  collectProblems(crossChecks(lakeBuckets, lakeTables, dataMappers, where), `${where}: the stack config has problems`);
  return {
    stack,
    names: resourceNamesFor(stack),
    lakeBuckets,
    lakeTables,
    dataMappers,
    settings,
    network,
    bytesScannedCutoffPerQuery,
    logRetentionDays,
    ...(notificationEmail ? { notificationEmail } : {}),
    forceDestroy,
    forgetEphemeralStorageGiB,
    lakeFormation,
  };
}

function parseLakeBucket(input: unknown, where: string): LakeBucket {
  const r = expectRecord(input, where);
  rejectUnknownKeys(r, ['name', 'create', 'kmsKeyArn'], where);
  const name = expectNonEmptyString(r.name, `${where}.name`);
  if (!BUCKET_NAME.test(name)) throw new InputError(`${where}.name: "${name}" is not an S3 bucket name`);
  const kmsKeyArn = r.kmsKeyArn === undefined ? undefined : expectNonEmptyString(r.kmsKeyArn, `${where}.kmsKeyArn`);
  if (kmsKeyArn !== undefined && !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]+$/.test(kmsKeyArn)) {
    throw new InputError(`${where}.kmsKeyArn: expected a KMS key ARN, got "${kmsKeyArn}"`);
  }
  return { name, create: r.create === undefined ? false : expectBoolean(r.create, `${where}.create`), ...(kmsKeyArn ? { kmsKeyArn } : {}) };
}

function parseLakeTable(input: unknown, where: string): LakeTable {
  const r = expectRecord(input, where);
  const database = expectNonEmptyString(r.database, `${where}.database`);
  const name = expectNonEmptyString(r.name, `${where}.name`);
  const here = `${where} (table "${database}.${name}")`;
  const create = r.create === undefined ? false : expectBoolean(r.create, `${here}.create`);
  if (!create) {
    const declaring = DECLARED_TABLE_KEYS.filter((key) => r[key] !== undefined);
    if (declaring.length > 0) {
      throw new InputError(`${here}: ${declaring.join(', ')} describe a table lethe creates (create: true); an existing table's definition is read from Glue`);
    }
  }
  rejectUnknownKeys(r, create ? ['database', 'name', 'location', 'create', ...DECLARED_TABLE_KEYS] : ['database', 'name', 'location', 'create'], here);
  if (!GLUE_NAME.test(database)) throw new InputError(`${here}.database: Glue names are lowercase letters, digits and _`);
  if (!GLUE_NAME.test(name)) throw new InputError(`${here}.name: Glue names are lowercase letters, digits and _`);
  const location = expectNonEmptyString(r.location, `${here}.location`);
  if (!/^s3:\/\/[^/]+\/(.+\/)?$/.test(location)) throw new InputError(`${here}.location: expected s3://bucket/prefix/ ending in /, got "${location}"`);
  if (!create) return { database, name, location, create: false };
  const columns = parseColumns(r.columns, `${here}.columns`);
  if (columns.length === 0) throw new InputError(`${here}.columns: a table needs at least one column`);
  const keys = r.partitionKeys === undefined ? [] : expectArray(r.partitionKeys, `${here}.partitionKeys`);
  const partitionKeys = parseColumns(keys.map((key) => (isRecord(key) ? { name: key.name, type: key.type } : key)), `${here}.partitionKeys`);
  const projection = parseProjection(keys, r.locationTemplate, location, here);
  return { database, name, location, create: true, format: expectOneOf(r.format, DATA_FORMATS, `${here}.format`), columns, partitionKeys, projection };
}

const DECLARED_TABLE_KEYS = ['format', 'columns', 'partitionKeys', 'locationTemplate'] as const;
const PROJECTION_KEYS = ['type', 'values', 'range', 'interval', 'digits', 'format', 'unit'] as const;

/**
 * A declared partitioned table projects its partitions (Athena partition projection): no crawler,
 * no ALTER TABLE ADD PARTITION, and the find plans from the same parameters. Each key says how its
 * values run; the parameters are checked by the parser the find itself uses.
 */
function parseProjection(keys: unknown[], locationTemplate: unknown, location: string, here: string): Record<string, string> {
  if (keys.length === 0) {
    if (locationTemplate !== undefined) throw new InputError(`${here}.locationTemplate: only a partitioned table has one`);
    return {};
  }
  const parameters: Record<string, string> = { 'projection.enabled': 'true' };
  const names: string[] = [];
  keys.forEach((key, i) => {
    const at = `${here}.partitionKeys[${i}]`;
    const r = expectRecord(key, at);
    rejectUnknownKeys(r, ['name', 'type', 'projection'], at);
    const name = expectNonEmptyString(r.name, `${at}.name`);
    names.push(name);
    if (r.projection === undefined) {
      throw new InputError(`${at}.projection: a partitioned table lethe creates projects its partitions (no crawler needed): give projection: {type: enum | integer | date, ...}`);
    }
    const projection = expectRecord(r.projection, `${at}.projection`);
    rejectUnknownKeys(projection, PROJECTION_KEYS, `${at}.projection`);
    const text = (value: unknown, field: string) => (typeof value === 'number' ? String(value) : expectNonEmptyString(value, `${at}.projection.${field}`));
    const list = (value: unknown, field: string) => expectArray(value, `${at}.projection.${field}`).map((item, j) => text(item, `${field}[${j}]`)).join(',');
    parameters[`projection.${name}.type`] = expectOneOf(projection.type, ['enum', 'integer', 'date'], `${at}.projection.type`);
    if (projection.values !== undefined) parameters[`projection.${name}.values`] = list(projection.values, 'values');
    if (projection.range !== undefined) parameters[`projection.${name}.range`] = list(projection.range, 'range');
    if (projection.interval !== undefined) parameters[`projection.${name}.interval`] = text(projection.interval, 'interval');
    if (projection.digits !== undefined) parameters[`projection.${name}.digits`] = text(projection.digits, 'digits');
    if (projection.format !== undefined) parameters[`projection.${name}.format`] = text(projection.format, 'format');
    if (projection.unit !== undefined) parameters[`projection.${name}.interval.unit`] = text(projection.unit, 'unit');
  });
  if (locationTemplate !== undefined) {
    const template = expectNonEmptyString(locationTemplate, `${here}.locationTemplate`);
    if (!template.startsWith(location)) throw new InputError(`${here}.locationTemplate: "${template}" must lie under the table's location ${location}`);
    parameters['storage.location.template'] = template;
  }
  parsePartitionProjection(parameters, names, here);
  return parameters;
}

function parseColumns(input: unknown, where: string): GlueColumn[] {
  return expectArray(input, where).map((item, i) => {
    const r = expectRecord(item, `${where}[${i}]`);
    rejectUnknownKeys(r, ['name', 'type'], `${where}[${i}]`);
    const name = expectNonEmptyString(r.name, `${where}[${i}].name`);
    const type = expectNonEmptyString(r.type, `${where}[${i}].type`);
    if (!GLUE_TYPE.test(type)) throw new InputError(`${where}[${i}].type: "${type}" is not a Glue type`);
    return { name, type };
  });
}

function parseNetwork(input: unknown, where: string): NetworkConfig {
  const r = expectRecord(input, where);
  if (isRecord(r.create)) {
    rejectUnknownKeys(r, ['create'], where);
    rejectUnknownKeys(r.create, ['cidrBlock', 'availabilityZones'], `${where}.create`);
    const cidrBlock = r.create.cidrBlock === undefined ? '10.80.0.0/16' : expectNonEmptyString(r.create.cidrBlock, `${where}.create.cidrBlock`);
    if (!/^\d{1,3}(\.\d{1,3}){3}\/(1[6-9]|2[0-4])$/.test(cidrBlock)) throw new InputError(`${where}.create.cidrBlock: expected an IPv4 CIDR from /16 to /24, got "${cidrBlock}"`);
    const availabilityZones = r.create.availabilityZones === undefined ? 2 : expectInteger(r.create.availabilityZones, `${where}.create.availabilityZones`, 1, 4);
    return { kind: 'create', cidrBlock, availabilityZones };
  }
  rejectUnknownKeys(r, ['vpcId', 'subnetIds'], where);
  const vpcId = expectNonEmptyString(r.vpcId, `${where}.vpcId`);
  const subnetIds = expectArray(r.subnetIds, `${where}.subnetIds`).map((s, i) => expectNonEmptyString(s, `${where}.subnetIds[${i}]`));
  if (subnetIds.length === 0) throw new InputError(`${where}.subnetIds: name at least one private subnet (or use create: {})`);
  return { kind: 'existing', vpcId, subnetIds };
}

/** Checks across keys: every table in a lake bucket, every mapper on a declared table and its columns. */
function crossChecks(buckets: LakeBucket[], tables: LakeTable[], mappers: DataMapper[], where: string): Array<() => void> {
  const bucketNames = new Set(buckets.map((b) => b.name));
  const checks: Array<() => void> = [];
  const seenTables = new Set<string>();
  tables.forEach((table, i) => {
    const here = `${where}: lethe:lake.tables[${i}] (table "${table.database}.${table.name}")`;
    checks.push(() => {
      const bucket = bucketOf(table.location);
      if (!bucketNames.has(bucket)) throw new InputError(`${here}.location: bucket "${bucket}" is not in lethe:lake.buckets`);
    });
    checks.push(() => {
      const key = `${table.database}.${table.name}`;
      if (seenTables.has(key)) throw new InputError(`${here}: declared twice`);
      seenTables.add(key);
    });
  });
  mappers.forEach((mapper, i) => {
    const here = `${where}: lethe:dataMappers[${i}] (mapper "${mapper.id}")`;
    const location = mapper.location;
    if (location.kind !== 'glue') {
      checks.push(() => {
        throw new InputError(`${here}.location: on AWS a mapper names a Glue table: {glue: {database, table}}`);
      });
      return;
    }
    const table = tables.find((t) => t.database === location.database && t.name === location.table);
    if (!table) {
      checks.push(() => {
        throw new InputError(`${here}.location: Glue table "${location.database}.${location.table}" is not in lethe:lake.tables (name it there with its location, so the task roles may read it)`);
      });
      return;
    }
    // An existing table's format, columns and keys live in Glue: the find checks them when it reads the table.
    if (!table.create) return;
    const tableName = `"${table.database}.${table.name}"`;
    checks.push(() => {
      if (mapper.format !== undefined && mapper.format !== table.format) throw new InputError(`${here}.format: "${mapper.format}" but table ${tableName} is ${table.format}`);
    });
    checks.push(() => {
      const columnNames = new Set(table.columns.map((c) => c.name.toLowerCase()));
      const missing = mapper.columns.filter((c) => !columnNames.has(c.split('.')[0]!.toLowerCase()));
      if (missing.length > 0) throw new InputError(`${here}.columns: ${missing.map((c) => `"${c}"`).join(', ')} not in table ${tableName}`);
    });
    checks.push(() => {
      const keys = new Set(table.partitionKeys.map((k) => k.name));
      const badKeys = mapper.partitionKeys.filter((k) => !keys.has(k));
      if (badKeys.length > 0) throw new InputError(`${here}.partitionKeys: ${badKeys.map((k) => `"${k}"`).join(', ')} not a partition key of table ${tableName}`);
    });
  });
  return checks;
}

/** s3://bucket/prefix/ -> bucket. */
export function bucketOf(s3Uri: string): string {
  return s3Uri.slice('s3://'.length).split('/')[0]!;
}

/** s3://bucket/prefix/ -> prefix/ ('' for a whole bucket). */
export function keyPrefixOf(s3Uri: string): string {
  return s3Uri.slice('s3://'.length).split('/').slice(1).join('/');
}

import { GetPartitionsCommand, GetTableCommand, GlueClient, Table } from '@aws-sdk/client-glue';
import { Column } from '../../model/columnType';
import { DataFormat, DataMapper } from '../../model/dataMapper';
import { InputError, LetheError, NotFoundError } from '../../model/errors';
import { PartitionProjection, parsePartitionProjection, templateRoot } from '../../model/partitionProjection';
import { Catalog, Partition, TableDescription } from '../../ports/Catalog';
import { parseGlueType } from './parseGlueType';
import { translateAwsError } from './translateAwsError';

export interface GlueCatalogOptions {
  client: GlueClient;
  /** Glue catalog id (the account id); the caller's account when absent. */
  catalogId?: string;
}

/** SerDe libraries and what lethe reads them as. */
const SERDE_FORMATS: Record<string, DataFormat> = {
  'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe': 'parquet',
  'org.openx.data.jsonserde.JsonSerDe': 'json',
  'org.apache.hive.hcatalog.data.JsonSerDe': 'json',
  'org.apache.hadoop.hive.serde2.JsonSerDe': 'json',
  'org.apache.hadoop.hive.serde2.OpenCSVSerde': 'csv',
};
const LAZY_SIMPLE_SERDE = 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe';

/** Tables of the lake in the Glue Data Catalog: location, format from the SerDe, typed columns, partitions. */
export class GlueCatalog implements Catalog {
  private readonly client: GlueClient;
  private readonly catalogId: string | undefined;

  constructor(options: GlueCatalogOptions) {
    this.client = options.client;
    this.catalogId = options.catalogId;
  }

  async describeTable(mapper: DataMapper): Promise<TableDescription> {
    const { database, table: tableName } = glueLocation(mapper);
    const where = `mapper "${mapper.id}": Glue table ${database}.${tableName}`;
    let table: Table | undefined;
    try {
      table = (await this.client.send(new GetTableCommand({ CatalogId: this.catalogId, DatabaseName: database, Name: tableName }))).Table;
    } catch (error) {
      const translated = translateAwsError(error, `${where}: GetTable`, { mapperId: mapper.id });
      if (translated instanceof NotFoundError) throw new InputError(`${where} not found`, { mapperId: mapper.id });
      throw translated;
    }
    if (!table?.StorageDescriptor?.Location) throw new InputError(`${where} has no storage location`, { mapperId: mapper.id });
    const parameters = table.Parameters ?? {};
    if ((parameters.table_type ?? '').toUpperCase() === 'ICEBERG') {
      throw new InputError(`${where} is an Iceberg table: rewriting its data files would bypass Iceberg's metadata; not supported`, { mapperId: mapper.id });
    }
    const format = tableFormat(table, mapper, where);
    const columns: Column[] = (table.StorageDescriptor.Columns ?? []).map((column) => ({
      name: column.Name ?? '',
      type: parseColumnType(column.Type, `${where}: column "${column.Name}"`, mapper.id),
    }));
    const partitionKeys = (table.PartitionKeys ?? []).map((key) => key.Name ?? '');
    const projection = this.projectionOf(table, partitionKeys, where, mapper.id);
    return {
      // A projected table's partitions lie where its template says, which need not be under its
      // Location: the template's fixed folder is what holds the objects Athena reads.
      location: projection?.template ? templateRoot(projection.template) : normalizeS3(table.StorageDescriptor.Location),
      format,
      columns,
      partitionKeys,
      ...(projection ? { projection } : {}),
    };
  }

  private projectionOf(table: Table, partitionKeys: string[], where: string, mapperId: string): PartitionProjection | undefined {
    let projection: PartitionProjection | undefined;
    try {
      projection = parsePartitionProjection(table.Parameters ?? {}, partitionKeys, where);
    } catch (error) {
      if (error instanceof InputError) throw new InputError(error.message, { mapperId });
      throw error;
    }
    for (const key of projection?.keys ?? []) {
      const type = (table.PartitionKeys ?? []).find((k) => k.Name === key.key)?.Type?.toLowerCase() ?? 'string';
      // The find filters a date key on its formatted value; as a DATE column only yyyy-MM-dd reads back the same.
      if (key.kind === 'date' && type !== 'string' && !(type === 'date' && key.formatText === 'yyyy-MM-dd')) {
        throw new InputError(`${where}: partition projection of key "${key.key}": a date projection on a column of type ${type} is supported only as string (or date with format yyyy-MM-dd)`, { mapperId });
      }
    }
    return projection;
  }

  async listPartitions(mapper: DataMapper, table: TableDescription): Promise<Partition[]> {
    if (table.projection) throw new LetheError(`mapper "${mapper.id}": the table projects its partitions; Glue lists none (plan from TableDescription.projection)`, { mapperId: mapper.id });
    if (table.partitionKeys.length === 0) return [{ values: {}, location: table.location }];
    const { database, table: tableName } = glueLocation(mapper);
    const partitions: Partition[] = [];
    let token: string | undefined;
    do {
      const page = await this.call(`mapper "${mapper.id}": GetPartitions ${database}.${tableName}`, mapper.id, () =>
        this.client.send(new GetPartitionsCommand({ CatalogId: this.catalogId, DatabaseName: database, TableName: tableName, NextToken: token, MaxResults: 1000 })),
      );
      for (const partition of page.Partitions ?? []) {
        const values = partition.Values ?? [];
        if (values.length !== table.partitionKeys.length) {
          throw new InputError(`mapper "${mapper.id}": Glue partition ${values.join('/')} of ${database}.${tableName} has ${values.length} values for ${table.partitionKeys.length} keys`, {
            mapperId: mapper.id,
          });
        }
        const location = partition.StorageDescriptor?.Location;
        const named = Object.fromEntries(table.partitionKeys.map((key, i) => [key, values[i]!]));
        partitions.push({ values: named, location: location ? normalizeS3(location) : defaultLocation(table, named) });
      }
      token = page.NextToken || undefined;
    } while (token);
    return partitions.sort((a, b) => (a.location < b.location ? -1 : a.location > b.location ? 1 : 0));
  }

  private async call<T>(what: string, mapperId: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw translateAwsError(error, what, { mapperId });
    }
  }
}

function glueLocation(mapper: DataMapper): { database: string; table: string } {
  if (mapper.location.kind !== 'glue') {
    throw new InputError(`mapper "${mapper.id}": in aws mode a mapper's location is glue: {database, table}, not a folder or prefix`, { mapperId: mapper.id });
  }
  return { database: mapper.location.database, table: mapper.location.table };
}

/** The SerDe decides; a mapper's explicit format must agree with it. */
function tableFormat(table: Table, mapper: DataMapper, where: string): DataFormat {
  const serde = table.StorageDescriptor?.SerdeInfo?.SerializationLibrary ?? '';
  const inputFormat = table.StorageDescriptor?.InputFormat ?? '';
  let detected: DataFormat | undefined = SERDE_FORMATS[serde];
  if (!detected && /parquet/i.test(inputFormat)) detected = 'parquet';
  if (!detected && serde === LAZY_SIMPLE_SERDE) {
    const delimiter = table.StorageDescriptor?.SerdeInfo?.Parameters?.['field.delim'] ?? table.StorageDescriptor?.SerdeInfo?.Parameters?.['serialization.format'];
    if (delimiter === ',') detected = 'csv';
    else throw new InputError(`${where}: LazySimpleSerDe with delimiter ${JSON.stringify(delimiter ?? '\\u0001')} is not supported (only comma-separated CSV)`, { mapperId: mapper.id });
  }
  if (detected && mapper.format && mapper.format !== detected) {
    throw new InputError(`${where}: the mapper says format ${mapper.format} but the table's SerDe ${serde || inputFormat} is ${detected}`, { mapperId: mapper.id });
  }
  const format = detected ?? mapper.format;
  if (!format) throw new InputError(`${where}: SerDe "${serde}" (input format "${inputFormat}") is not parquet, JSON or CSV; not supported`, { mapperId: mapper.id });
  return format;
}

function parseColumnType(type: string | undefined, where: string, mapperId: string) {
  try {
    return parseGlueType(type ?? '');
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`${where}: ${error.message}`, { mapperId });
    throw error;
  }
}

function normalizeS3(location: string): string {
  return location.replace(/^s3[an]:\/\//, 's3://');
}

function defaultLocation(table: TableDescription, values: Record<string, string>): string {
  const base = table.location.endsWith('/') ? table.location : `${table.location}/`;
  return base + Object.entries(values).map(([key, value]) => `${key}=${value}`).join('/');
}

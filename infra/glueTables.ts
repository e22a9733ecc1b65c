import { DataFormat } from '../shared/model/dataMapper';
import { unreachable } from '../shared/model/errors';
import { JOBS_PREFIX, MANIFESTS_LOCATION_TEMPLATE } from '../shared/records/stateKeys';
import { DeclaredLakeTable, GlueColumn } from './stackConfig';

/** The plain shape of an aws.glue.CatalogTable's arguments that lethe decides. */
export interface GlueTableSpec {
  databaseName: string;
  name: string;
  tableType: 'EXTERNAL_TABLE';
  parameters: Record<string, string>;
  partitionKeys: GlueColumn[];
  storageDescriptor: {
    location: string;
    inputFormat: string;
    outputFormat: string;
    serDeInfo: { serializationLibrary: string; parameters: Record<string, string> };
    columns: GlueColumn[];
  };
}

const TEXT_INPUT = 'org.apache.hadoop.mapred.TextInputFormat';
const TEXT_OUTPUT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';
const JSON_SERDE = 'org.openx.data.jsonserde.JsonSerDe';

function storageFor(format: DataFormat): Pick<GlueTableSpec['storageDescriptor'], 'inputFormat' | 'outputFormat' | 'serDeInfo'> {
  switch (format) {
    case 'parquet':
      return {
        inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
        serDeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', parameters: {} },
      };
    case 'json':
      return { inputFormat: TEXT_INPUT, outputFormat: TEXT_OUTPUT, serDeInfo: { serializationLibrary: JSON_SERDE, parameters: {} } };
    case 'csv':
      // OpenCSVSerde unquotes fields: with LazySimpleSerDe a quoted "ann@x.org" never equals ann@x.org,
      // so Athena would not find a match lethe's rewrite (DuckDB's CSV reader) would.
      return {
        inputFormat: TEXT_INPUT,
        outputFormat: TEXT_OUTPUT,
        serDeInfo: { serializationLibrary: 'org.apache.hadoop.hive.serde2.OpenCSVSerde', parameters: { separatorChar: ',', quoteChar: '"', escapeChar: '\\' } },
      };
    default:
      return unreachable(format);
  }
}

/** A lake table lethe declares in Glue; a partitioned one projects its partitions, so nobody has to register them. */
export function lakeTableSpec(table: DeclaredLakeTable): GlueTableSpec {
  return {
    databaseName: table.database,
    name: table.name,
    tableType: 'EXTERNAL_TABLE',
    parameters: { classification: table.format, ...(table.format === 'csv' ? { 'skip.header.line.count': '1' } : {}), ...table.projection },
    partitionKeys: table.partitionKeys,
    storageDescriptor: { location: table.location, ...storageFor(table.format), columns: table.columns },
  };
}

export const MANIFESTS_TABLE = 'manifests';

/**
 * The manifests table over jobs/<jobId>/manifests/<mapperId>/matches-<part>.jsonl (every part) (ManifestRow lines).
 * Partition projection with injected job_id and mapper_id: a query names both, so jobs never add
 * partitions and Athena reads one job's one mapper.
 */
export function manifestsTableSpec(database: string, stateBucket: string): GlueTableSpec {
  return {
    databaseName: database,
    name: MANIFESTS_TABLE,
    tableType: 'EXTERNAL_TABLE',
    parameters: {
      classification: 'json',
      'projection.enabled': 'true',
      'projection.job_id.type': 'injected',
      'projection.mapper_id.type': 'injected',
      'storage.location.template': `s3://${stateBucket}/${MANIFESTS_LOCATION_TEMPLATE}`,
    },
    partitionKeys: [
      { name: 'job_id', type: 'string' },
      { name: 'mapper_id', type: 'string' },
    ],
    storageDescriptor: {
      location: `s3://${stateBucket}/${JOBS_PREFIX}`,
      ...storageFor('json'),
      columns: [
        { name: 'match_columns', type: 'string' },
        { name: 'values', type: 'array<string>' },
      ],
    },
  };
}

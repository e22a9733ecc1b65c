import { BatchCreatePartitionCommand, Column, CreateDatabaseCommand, CreateTableCommand, GlueClient } from '@aws-sdk/client-glue';

/** The input/output formats and SerDe of a Parquet table, as Glue crawlers and Spark register them. */
export const PARQUET_STORAGE = {
  InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
};

/** A Glue database holding one Parquet table over `location`, with its hive partitions registered (on moto). */
export async function createGlueParquetTable(table: {
  database: string;
  name: string;
  /** s3://bucket/prefix/ */
  location: string;
  columns: Column[];
  partitionKeys?: Column[];
  /** Values of each partition, in partitionKeys order; each at location/key=value/... */
  partitions?: string[][];
}): Promise<void> {
  const glue = new GlueClient({});
  try {
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: table.database } }));
    await glue.send(
      new CreateTableCommand({
        DatabaseName: table.database,
        TableInput: { Name: table.name, PartitionKeys: table.partitionKeys ?? [], StorageDescriptor: { Location: table.location, Columns: table.columns, ...PARQUET_STORAGE } },
      }),
    );
    const keys = table.partitionKeys ?? [];
    if (table.partitions && table.partitions.length > 0) {
      const partitionLocation = (values: string[]) => `${table.location}${values.map((value, i) => `${keys[i]!.Name}=${value}/`).join('')}`;
      await glue.send(
        new BatchCreatePartitionCommand({
          DatabaseName: table.database,
          TableName: table.name,
          PartitionInputList: table.partitions.map((values) => ({ Values: values, StorageDescriptor: { Location: partitionLocation(values), ...PARQUET_STORAGE } })),
        }),
      );
    }
  } finally {
    glue.destroy();
  }
}

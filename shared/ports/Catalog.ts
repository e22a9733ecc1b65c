import { Column } from '../model/columnType';
import { DataFormat, DataMapper } from '../model/dataMapper';
import { PartitionProjection } from '../model/partitionProjection';

export interface TableDescription {
  /** Folder or s3:// prefix that holds the table's objects. */
  location: string;
  format: DataFormat;
  /** Data columns, without partition keys; empty for a directory table with no object to learn them from. */
  columns: Column[];
  /** Hive partition keys in table order. */
  partitionKeys: string[];
  /**
   * Set when the catalog does not list the partitions but projects them (Athena partition
   * projection): the find plans its queries and proves coverage from it, never from listPartitions.
   */
  projection?: PartitionProjection;
}

export interface Partition {
  /** key=value of every partition key, in table order; {} for an unpartitioned table. */
  values: Record<string, string>;
  location: string;
  /** The partition's objects, when the catalog lists them (a directory lake does; Glue does not). */
  objects?: string[];
}

/** Tables and partitions of the lake: lethe.yaml + hive folders locally, the Glue Data Catalog on AWS. */
export interface Catalog {
  /**
   * InputError naming the mapper when the table does not exist or cannot be read. `listed`: every
   * object under a folder mapper's location, when the caller has just listed it (a directory catalog
   * then learns the table from that listing instead of listing again).
   */
  describeTable(mapper: DataMapper, listed?: readonly string[]): Promise<TableDescription>;
  listPartitions(mapper: DataMapper, table: TableDescription): Promise<Partition[]>;
}

import { JobId, ObjectUri, StateKey } from '../model/identifiers';
import { ResolvedColumn } from '../model/columnType';
import { DataMapper } from '../model/dataMapper';
import { Partition, TableDescription } from './Catalog';

/** The columns one kind of match is compared with: one column for a simple match, several for a composite. */
export interface MatchColumnSet {
  /** Configured paths joined by "," (e.g. `customer_id` or `first_name,last_name`): the manifest key. */
  key: string;
  columns: ResolvedColumn[];
}

/** One find query: the partitions that share the values of the mapper's partition keys. */
export interface PartitionGroup {
  /** Values of the mapper's partitionKeys for this group; {} when the mapper has none. */
  values: Record<string, string>;
  /** The catalog's partitions in the group; empty for a projected table (Glue lists none, the query filters on `values`). */
  partitions: Partition[];
}

export interface FindQuery {
  jobId: JobId;
  mapper: DataMapper;
  table: TableDescription;
  group: PartitionGroup;
  /** The match column sets that have manifest rows (jobs/<jobId>/manifests/<mapperId>/); never empty. */
  matchSets: MatchColumnSet[];
}

export interface FindQueryResult {
  /** Distinct objects holding at least one matching row. */
  objects: ObjectUri[];
  bytesScanned: number;
}

/**
 * How many queries a mapper's partitions are split into. `partitionGroup`: one per group of the
 * mapper's partitionKeys (Athena: each statement and scan stays bounded, and a failed query is
 * retried for its group alone). `table`: one over every partition (DuckDB in this process, where a
 * query per group would only repeat the plan, the hash build over the match table and the bookkeeping).
 */
export type QueryScope = 'partitionGroup' | 'table';

/** Runs find queries: DuckDB over local files, or Athena over Glue tables. */
export interface QueryExecutor {
  readonly queryScope: QueryScope;
  findObjects(query: FindQuery): Promise<FindQueryResult>;
  close(): Promise<void>;
}

import { isDataObject, segmentsUnder } from '../model/isDataObject';
import { Partition } from '../ports/Catalog';
import { Coverage } from '../records/jobPlan';
import { ProjectedPartitions, isProjectedPartitions } from './resolvePartitionProjection';

export interface CoveragePlan {
  coverage: Coverage;
  /** Data objects no find query read: any one fails the find. */
  unread: string[];
}

/**
 * Compares the objects under a table's location with what the find queries read: a partition that
 * lists its objects (a directory lake) is read object by object; one that does not (a Glue
 * partition) reads everything below its location, as Athena does; a projected table reads the
 * objects below a location its projection yields (its template, or Hive folders, with values in
 * range). An object lying outside every queried partition (a folder Glue has no partition for, a
 * date past the projection's range) is unread, unless it is not data.
 */
export function planCoverage(location: string, listed: readonly string[], readBy: readonly Partition[] | ProjectedPartitions): CoveragePlan {
  const reads = isProjectedPartitions(readBy) ? (uri: string) => readBy.locate(uri) !== undefined : listedReads(readBy);
  const under = listed.filter((uri) => segmentsUnder(location, uri) !== undefined);
  const data = under.filter((uri) => isDataObject(location, uri));
  const unread = data.filter((uri) => !reads(uri));
  return { coverage: { objects: under.length, read: data.length - unread.length, notData: under.length - data.length }, unread };
}

function listedReads(partitions: readonly Partition[]): (uri: string) => boolean {
  const named = new Set(partitions.flatMap((partition) => partition.objects ?? []));
  const prefixes = partitions.filter((partition) => partition.objects === undefined).map((partition) => partition.location);
  return (uri) => named.has(uri) || prefixes.some((prefix) => segmentsUnder(prefix, uri) !== undefined);
}

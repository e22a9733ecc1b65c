import { isDataObject, segmentsUnder } from '../model/isDataObject';
import { Partition } from '../ports/Catalog';
import { Coverage } from '../records/jobPlan';

export interface CoveragePlan {
  coverage: Coverage;
  /** Data objects no find query read: any one fails the find. */
  unread: string[];
}

/**
 * Compares the objects under a table's location with what the find queries read: a partition that
 * lists its objects (a directory lake) is read object by object; one that does not (a Glue
 * partition) reads everything below its location, as Athena does. An object lying outside every
 * queried partition (a folder Glue has no partition for) is unread, unless it is not data.
 */
export function planCoverage(location: string, listed: readonly string[], partitions: readonly Partition[]): CoveragePlan {
  const named = new Set(partitions.flatMap((partition) => partition.objects ?? []));
  const prefixes = partitions.filter((partition) => partition.objects === undefined).map((partition) => partition.location);
  const under = listed.filter((uri) => segmentsUnder(location, uri) !== undefined);
  const data = under.filter((uri) => isDataObject(location, uri));
  const unread = data.filter((uri) => !named.has(uri) && !prefixes.some((prefix) => segmentsUnder(prefix, uri) !== undefined));
  return { coverage: { objects: under.length, read: data.length - unread.length, notData: under.length - data.length }, unread };
}

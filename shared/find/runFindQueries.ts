import { JobId } from '../model/identifiers';
import { FoundObject } from '../records/jobPlan';
import { mapWithConcurrency } from '../concurrency/mapWithConcurrency';
import { retryWithBackoff } from '../concurrency/retryWithBackoff';
import { LetheError, errorMessage } from '../model/errors';
import { Settings } from '../model/settings';
import { Ports } from '../ports/Ports';
import { Partition } from '../ports/Catalog';
import { FindQuery, MatchColumnSet } from '../ports/QueryExecutor';
import { describeMapperLocation } from '../model/dataMapper';
import { Coverage } from '../records/jobPlan';
import { planCoverage } from './planCoverage';
import { MapperTable } from './prepareMapperFind';
import { describePartitionGroup, planPartitionQueries } from './planPartitionQueries';
import { planProjectedPartitionQueries } from './planProjectedPartitionQueries';
import { ProjectedPartitions, isProjectedPartitions, resolvePartitionProjection } from './resolvePartitionProjection';

/** A mapper to search: its table, the objects under it, and the typed columns its matches compare with. */
export interface MapperSearch extends MapperTable {
  /** Empty when no match applies to the mapper (or its table is empty): then nothing is queried. */
  matchSets: MatchColumnSet[];
}

export interface MapperCoverage extends Coverage {
  mapperId: string;
}

export interface QueryOutcome {
  mapperId: string;
  partition: string;
  objects: number;
  bytesScanned: number;
  attempts: number;
}

export interface FindOutcome {
  objects: FoundObject[];
  queries: QueryOutcome[];
  bytesScanned: number;
  /** One per mapper, in the order given. */
  coverage: MapperCoverage[];
}

/**
 * Runs one query per partition group (or per table, as the executor's queryScope says) of every
 * mapper that has matches, at most queryConcurrency at once, each retried queryRetries times.
 * Before any query runs, proves coverage: every data object under a searched mapper's location lies
 * in a partition some query reads, or the find fails naming one that does not (a Glue partition
 * never registered would otherwise be skipped in silence).
 * Fails fast: a query that fails for good fails the find.
 */
export async function runFindQueries(
  ports: Pick<Ports, 'catalog' | 'queries'>,
  jobId: JobId,
  searches: readonly MapperSearch[],
  settings: Pick<Settings, 'queryConcurrency' | 'queryRetries'> & {
    /** NOW in a projected table's date ranges: the job's start, so find and verify search the same partitions. */
    asOf?: Date;
  },
  onQuery: (outcome: QueryOutcome) => Promise<void> = async () => {},
): Promise<FindOutcome> {
  const queries: FindQuery[] = [];
  const coverage: MapperCoverage[] = [];
  for (const search of searches) {
    const { mapper, table } = search;
    if (search.matchSets.length === 0) {
      coverage.push({ mapperId: mapper.id, ...planCoverage(table.location, search.listed, []).coverage });
      continue;
    }
    const readBy = table.projection
      ? resolvePartitionProjection(table.projection, table.location, settings.asOf ?? new Date(), `mapper "${mapper.id}" (${describeMapperLocation(mapper)})`)
      : await ports.catalog.listPartitions(mapper, table);
    coverage.push(proveCoverage(search, readBy));
    const groups = isProjectedPartitions(readBy) ? planProjectedPartitionQueries(mapper, table, readBy) : planPartitionQueries(mapper, table, readBy, ports.queries.queryScope);
    for (const group of groups) {
      queries.push({ jobId, mapper, table, group, matchSets: search.matchSets });
    }
  }
  const outcomes = await mapWithConcurrency(queries, settings.queryConcurrency, async (query) => {
    const partition = describePartitionGroup(query.group);
    let attempts = 0;
    try {
      const result = await retryWithBackoff(
        () => {
          attempts++;
          return ports.queries.findObjects(query);
        },
        { retries: settings.queryRetries, baseDelayMs: 500 },
      );
      const outcome: QueryOutcome = { mapperId: query.mapper.id, partition, objects: result.objects.length, bytesScanned: result.bytesScanned, attempts };
      await onQuery(outcome);
      return { outcome, objects: result.objects.map((object) => ({ mapperId: query.mapper.id, object })) };
    } catch (error) {
      throw new LetheError(`mapper "${query.mapper.id}", partition ${partition}: find query failed after ${attempts} attempts: ${errorMessage(error)}`, {
        mapperId: query.mapper.id,
        partition,
      });
    }
  });
  const seen = new Set<string>();
  const objects: FoundObject[] = [];
  for (const { objects: found } of outcomes) {
    for (const item of found) {
      const id = `${item.mapperId}\n${item.object}`;
      if (!seen.has(id)) objects.push(item);
      seen.add(id);
    }
  }
  return { objects, queries: outcomes.map((o) => o.outcome), bytesScanned: outcomes.reduce((sum, o) => sum + o.outcome.bytesScanned, 0), coverage };
}

/** The coverage of a searched mapper, or a LetheError naming an object no query would read. */
function proveCoverage(search: MapperSearch, readBy: readonly Partition[] | ProjectedPartitions): MapperCoverage {
  const { mapper, table } = search;
  const plan = planCoverage(table.location, search.listed, readBy);
  if (plan.unread.length > 0) {
    const remedy = isProjectedPartitions(readBy)
      ? `widen the table's partition projection (projection.* parameters, storage.location.template) to reach them, or move them out of ${table.location}`
      : mapper.location.kind === 'glue'
        ? 'register their partitions in Glue (MSCK REPAIR TABLE, ALTER TABLE ADD PARTITION)'
        : 'they appeared after the folder was read; start the job again';
    throw new LetheError(
      `mapper "${mapper.id}" (${describeMapperLocation(mapper)}): ${plan.unread.length} of ${plan.coverage.objects} objects under ${table.location} lie in no partition the catalog ${isProjectedPartitions(readBy) ? 'projects' : 'lists'}, so no find query would read them, e.g. ${plan.unread[0]}: ${remedy}`,
      { mapperId: mapper.id, object: plan.unread[0] },
    );
  }
  return { mapperId: mapper.id, ...plan.coverage };
}

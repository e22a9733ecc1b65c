import { FoundObject } from '../records/jobPlan';
import { mapWithConcurrency } from '../concurrency/mapWithConcurrency';
import { retryWithBackoff } from '../concurrency/retryWithBackoff';
import { LetheError, errorMessage } from '../model/errors';
import { manifestKey } from '../records/stateKeys';
import { Settings } from '../model/settings';
import { Ports } from '../ports/Ports';
import { FindQuery } from '../ports/QueryExecutor';
import { MapperFind } from './prepareMapperFind';
import { describePartitionGroup, planPartitionQueries } from './planPartitionQueries';

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
}

/**
 * Runs one query per partition group of every mapper that has matches, at most queryConcurrency at
 * once, each retried queryRetries times. Fails fast: a query that fails for good fails the find.
 */
export async function runFindQueries(
  ports: Pick<Ports, 'catalog' | 'queries'>,
  jobId: string,
  finds: readonly MapperFind[],
  settings: Pick<Settings, 'queryConcurrency' | 'queryRetries'>,
  onQuery: (outcome: QueryOutcome) => Promise<void> = async () => {},
): Promise<FindOutcome> {
  const queries: FindQuery[] = [];
  for (const find of finds) {
    if (find.manifest.rows.length === 0) continue;
    const partitions = await ports.catalog.listPartitions(find.mapper, find.table);
    for (const group of planPartitionQueries(find.mapper, find.table, partitions)) {
      queries.push({ jobId, mapper: find.mapper, table: find.table, group, matchSets: find.manifest.matchSets, manifestKey: manifestKey(jobId, find.mapper.id) });
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
  return { objects, queries: outcomes.map((o) => o.outcome), bytesScanned: outcomes.reduce((sum, o) => sum + o.outcome.bytesScanned, 0) };
}

import { accountMatches } from '../find/accountMatches';
import { HashedQueueItem, hashQueueItems } from '../find/buildManifest';
import { groupFoundObjects } from '../find/groupFoundObjects';
import { MapperFind, prepareMapperFind } from '../find/prepareMapperFind';
import { FindOutcome, MapperSearch, runFindQueries } from '../find/runFindQueries';
import { Coverage } from '../records/jobPlan';
import { Job } from '../model/job';
import { manifestKey } from '../records/stateKeys';
import { serializeManifest } from '../model/manifest';
import { QueueItem } from '../model/match';
import { Ports } from '../ports/Ports';
import { putStateValue } from '../records/putStateValue';
import { writeMatchSets } from '../records/matchSets';
import { JobPlan } from '../records/jobPlan';
import { appendEvent } from '../records/jobEvents';

/** Resolves every mapper's columns and casts the queue's matches (nothing written). */
export async function prepareFinds(ports: Pick<Ports, 'catalog' | 'lake'>, job: Job, items: readonly HashedQueueItem[]): Promise<MapperFind[]> {
  const finds: MapperFind[] = [];
  for (const mapper of job.mappers) finds.push(await prepareMapperFind(ports, mapper, items));
  return finds;
}

/**
 * The find phase: writes each mapper's typed manifest and match sets, runs the per-partition
 * queries, and returns the purge plan. Skipped matches are reported by hash; the job goes on.
 */
export async function runFindPhase(ports: Ports, job: Job, items: readonly QueueItem[], hmacKey: Buffer): Promise<JobPlan> {
  const hashed = hashQueueItems(items, hmacKey);
  const finds = await prepareFinds(ports, job, hashed);
  for (const find of finds) {
    await putStateValue(ports.state, manifestKey(job.id, find.mapper.id), serializeManifest(find.manifest.rows));
    await writeMatchSets(ports.state, job.id, find.mapper.id, find.manifest.matchSets);
    for (const skipped of find.manifest.skipped) {
      await appendEvent(ports.state, job.id, 'MatchSkipped', { matchHash: skipped.matchHash, mapperId: skipped.mapperId, reason: skipped.reason });
    }
  }
  const outcome = await runFinds(ports, job, finds.map((find) => ({ ...find, matchSets: find.manifest.matchSets })));
  return {
    objects: groupFoundObjects(outcome.objects),
    mappers: finds.map((find) => ({
      mapperId: find.mapper.id,
      matches: find.manifest.applicable,
      manifestRows: find.manifest.rows.length,
      queries: outcome.queries.filter((q) => q.mapperId === find.mapper.id).length,
      objects: outcome.objects.filter((o) => o.mapperId === find.mapper.id).length,
      coverage: coverageOf(outcome, find.mapper.id),
    })),
    skipped: finds.flatMap((find) => find.manifest.skipped),
    matchHashes: hashed.map((h) => h.matchHash),
    matches: accountMatches(hashed, new Map(finds.map((find) => [find.mapper.id, find.manifest]))),
    bytesScanned: outcome.bytesScanned,
  };
}

function coverageOf(outcome: FindOutcome, mapperId: string): Coverage {
  const found = outcome.coverage.find((c) => c.mapperId === mapperId);
  return { objects: found?.objects ?? 0, read: found?.read ?? 0, notData: found?.notData ?? 0 };
}

/**
 * Runs the find queries, recording each and every mapper's coverage as events; verification calls it
 * again after forget.
 */
export async function runFinds(ports: Ports, job: Job, searches: readonly MapperSearch[]): Promise<FindOutcome> {
  const outcome = await runFindQueries(ports, job.id, searches, { ...job.settings, asOf: new Date(job.createdAt) }, async (query) => {
    await appendEvent(ports.state, job.id, 'QuerySucceeded', { ...query });
  });
  for (const coverage of outcome.coverage) await appendEvent(ports.state, job.id, 'CoverageProven', { ...coverage });
  return outcome;
}

import { CastChunk, QueueChunkCaster, SkipCount } from '../find/queueChunkCaster';
import { groupFoundObjects } from '../find/groupFoundObjects';
import { MapperFind, prepareMapperFind } from '../find/prepareMapperFind';
import { FindOutcome, MapperSearch, runFindQueries } from '../find/runFindQueries';
import { Coverage, JobPlan, writeJobPlan } from '../records/jobPlan';
import { resolveMapperFormats } from '../find/resolveMapperFormats';
import { updateJob } from '../records/jobRecord';
import { Job } from '../model/job';
import { manifestPartKey, manifestsPrefix, matchAccountsPrefix } from '../records/stateKeys';
import { Ports } from '../ports/Ports';
import { MatchColumnSet } from '../ports/QueryExecutor';
import { StateStore } from '../ports/StateStore';
import { putStateValue } from '../records/putStateValue';
import { writeMatchSets } from '../records/matchSets';
import { writeMatchAccounts } from '../records/matchAccounts';
import { appendEvent } from '../records/jobEvents';
import { readQueueSnapshot } from '../queue/deletionQueue';
import { JobId, StateKey } from '../model/identifiers';
import { settleAll } from '../concurrency/settleAll';

/**
 * Queue items cast, hashed and written per chunk: the find holds one chunk's items, manifest rows
 * and accounts at a time, so its memory follows the chunk, not the queue.
 */
export const CHUNK_ITEMS = 50_000;

/** Resolves every mapper's table and match columns, all mappers at once (nothing written). */
export async function prepareFinds(ports: Pick<Ports, 'catalog' | 'lake'>, job: Job): Promise<MapperFind[]> {
  return settleAll(job.mappers.map((mapper) => prepareMapperFind(ports, mapper)));
}

/**
 * The find as a job runs it: FindStarted, every mapper's format settled in the job's snapshot, the
 * find phase, plan.json and FindFinished. The caller moves the job's status on.
 */
export async function runFindStep(ports: Ports, current: Job, hmacKey: Buffer): Promise<{ job: Job; plan: JobPlan }> {
  let job = current;
  await appendEvent(ports.state, job.id, 'FindStarted', { mappers: job.mappers.length });
  // Workers rewrite by the snapshot's format; a Glue mapper leaves it to its table's SerDe.
  const mappers = await resolveMapperFormats(ports.catalog, job.mappers);
  if (mappers.some((m, i) => m !== job.mappers[i])) job = await updateJob(ports.state, job.id, (j) => ({ ...j, mappers }));
  const plan = await runFindPhase(ports, job, hmacKey);
  await writeJobPlan(ports.state, job.id, plan);
  await appendEvent(ports.state, job.id, 'FindFinished', { objects: plan.objects.length, skipped: plan.matchesSkipped, bytesScanned: plan.bytesScanned });
  return { job, plan };
}

/** What the chunks of the queue add up to, per mapper and in all. */
interface CastTotals {
  matchIds: number;
  matchesSkipped: number;
  matchesUnapplied: number;
  /** By mapper id: queue items that apply, manifest rows written, and the match sets in first-use order. */
  mappers: Map<string, { applicable: number; manifestRows: number; matchSets: Map<string, MatchColumnSet> }>;
}

/**
 * The find phase: casts and hashes the queue's matches chunk by chunk, writing each mapper's manifest
 * part and the chunk's match accounts as it goes, then each mapper's match sets; runs the find
 * queries, and returns the purge plan (counts, not one entry per match). Skipped matches are
 * reported by hash; the job goes on. Steps that do not wait on each other run at once: the lake is
 * described while the queue's first batch is read and an earlier run's parts are deleted, and a
 * chunk's writes go together; the accounts (which nothing before the plan reads) are written while
 * the next chunk is cast and the queries run. Every write is done when the plan is returned.
 */
export async function runFindPhase(ports: Ports, job: Job, hmacKey: Buffer): Promise<JobPlan> {
  const batches = readQueueSnapshot(ports.state, job.queue)[Symbol.asyncIterator]();
  // A find run again after a crash must not leave a part of the earlier run beside its own.
  const [finds, firstBatch] = await settleAll([
    prepareFinds(ports, job),
    batches.next(),
    deleteUnder(ports.state, manifestsPrefix(job.id)),
    deleteUnder(ports.state, matchAccountsPrefix(job.id)),
  ]);
  const totals: CastTotals = { matchIds: 0, matchesSkipped: 0, matchesUnapplied: 0, mappers: new Map(finds.map((f) => [f.mapper.id, { applicable: 0, manifestRows: 0, matchSets: new Map() }])) };
  // At most one chunk's accounts in flight, so memory still follows the chunk.
  let accounts: Promise<void> = Promise.resolve();
  let part = 0;
  const writeChunk = async (cast: CastChunk) => {
    await accounts;
    accounts = writeMatchAccounts(ports.state, job.id, part, cast.accounts);
    // Caught here and thrown by the await above or below: a failure waits its turn, never unhandled.
    accounts.catch(() => undefined);
    const writes: Promise<void>[] = [reportSkipped(ports.state, job.id, cast.skipped)];
    for (const [mapperId, mapperChunk] of cast.mappers) {
      if (mapperChunk.manifestRows > 0) writes.push(putStateValue(ports.state, manifestPartKey(job.id, mapperId, part), mapperChunk.manifest));
      const mapper = totals.mappers.get(mapperId)!;
      mapper.applicable += mapperChunk.applicable;
      mapper.manifestRows += mapperChunk.manifestRows;
      for (const set of mapperChunk.matchSets) if (!mapper.matchSets.has(set.key)) mapper.matchSets.set(set.key, set);
    }
    await settleAll(writes);
    totals.matchIds += cast.items;
    totals.matchesSkipped += cast.skipped.reduce((sum, skip) => sum + skip.matches, 0);
    totals.matchesUnapplied += cast.unapplied;
    part++;
  };
  try {
    const caster = new QueueChunkCaster(finds, hmacKey);
    for (let read = firstBatch; !read.done; read = await batches.next()) {
      for (const item of read.value) {
        caster.add(item);
        if (caster.items >= CHUNK_ITEMS) await writeChunk(caster.take());
      }
    }
    if (caster.items > 0) await writeChunk(caster.take());
    const searches = finds.map((find) => ({ ...find, matchSets: [...totals.mappers.get(find.mapper.id)!.matchSets.values()] }));
    await settleAll(searches.map((search) => writeMatchSets(ports.state, job.id, search.mapper.id, search.matchSets)));
    const outcome = await runFinds(ports, job, searches);
    await accounts;
    return {
      objects: groupFoundObjects(outcome.objects),
      mappers: finds.map((find) => ({
        mapperId: find.mapper.id,
        matches: totals.mappers.get(find.mapper.id)!.applicable,
        manifestRows: totals.mappers.get(find.mapper.id)!.manifestRows,
        queries: outcome.queries.filter((q) => q.mapperId === find.mapper.id).length,
        objects: outcome.objects.filter((o) => o.mapperId === find.mapper.id).length,
        coverage: coverageOf(outcome, find.mapper.id),
      })),
      matchIds: totals.matchIds,
      matchesSkipped: totals.matchesSkipped,
      matchesUnapplied: totals.matchesUnapplied,
      bytesScanned: outcome.bytesScanned,
    };
  } catch (error) {
    // The find failed: let the accounts write end before the job records it.
    await accounts.catch(() => undefined);
    throw error;
  }
}

/**
 * One MatchesSkipped event per mapper and reason of a chunk: an event per skipped match cost a state
 * write each (20,000 emails against an integer column took 12.8 s to find), and the match accounts
 * already name every skipped match by hash.
 */
async function reportSkipped(state: StateStore, jobId: JobId, skipped: readonly SkipCount[]): Promise<void> {
  for (const { mapperId, reason, matches } of skipped) await appendEvent(state, jobId, 'MatchesSkipped', { mapperId, reason, matches });
}

async function deleteUnder(state: StateStore, prefix: StateKey): Promise<void> {
  const keys: StateKey[] = [];
  for await (const key of state.list(prefix)) keys.push(key);
  for (const key of keys) await state.delete(key);
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

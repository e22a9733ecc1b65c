import { JobId, ObjectUri, parseObjectUri } from '../model/identifiers';
import { expectArray, expectInteger, expectNonEmptyString, expectRecord, expectStringArray } from '../model/fields';
import { InputError } from '../model/errors';
import { MatchHash } from '../model/match';
import { StateStore } from '../ports/StateStore';
import { putStateValue } from './putStateValue';
import { planKey } from './stateKeys';

/** An object a find query of the mapper returned: it holds a match of that mapper. */
export interface FoundObject {
  mapperId: string;
  object: ObjectUri;
}

/** An object to rewrite once (one work message), with every mapper whose find returned it. */
export interface PlannedObject {
  object: ObjectUri;
  /** Sorted, no duplicates, at least one. */
  mapperIds: string[];
}

/** A match that casts to none of a mapper's columns: reported, never failing the job. */
export interface SkippedMatch {
  matchHash: MatchHash;
  mapperId: string;
  /** Why it cannot match this mapper; names columns and types, never the value. */
  reason: string;
}

/**
 * Where one queue item's match was applied (mapper and columns), or why not, by HMAC: the report's
 * account of every match. A match with no `appliedTo` applied nowhere and stays in the queue.
 */
export interface MatchAccount {
  /** The queue item id (a batch id and a number; not personal data). */
  item: string;
  matchHash: MatchHash;
  appliedTo: Array<{ mapperId: string; columns: string[] }>;
  notApplied: Array<{ mapperId: string; reason: string }>;
}

/** The coverage proof of one mapper: "N objects under the location, M read, K not data". */
export interface Coverage {
  /** Every object listed under the location. */
  objects: number;
  /** Those a find query read. */
  read: number;
  /** Those whose name or a folder starts with `_` or `.` (not data, not read). */
  notData: number;
}

export interface MapperPlan {
  mapperId: string;
  /** Queue items that apply to the mapper, and manifest rows cast from them. */
  matches: number;
  manifestRows: number;
  queries: number;
  objects: number;
  /** The coverage proof: objects under the location, read, not data. Absent in plans written before it existed. */
  coverage?: Coverage;
}

/**
 * jobs/<jobId>/plan.json: what the find found, shown for approval and worked through by forget. It
 * counts the matches and carries no entry per match: their accounts are their own record
 * (records/matchAccounts.ts), so the plan stays small however long the queue.
 */
export interface JobPlan {
  /** Each found object once, with the mappers that found it: one work message, one rewrite. */
  objects: PlannedObject[];
  mappers: MapperPlan[];
  /** Queue items in the job. */
  matchIds: number;
  /** Skips: a match and a mapper of the job that no column of it fits (one item may skip several mappers). */
  matchesSkipped: number;
  /** Queue items whose match applied to no column of any mapper: they stay in the queue. */
  matchesUnapplied: number;
  bytesScanned: number;
}

export async function writeJobPlan(state: StateStore, jobId: JobId, plan: JobPlan): Promise<void> {
  await putStateValue(state, planKey(jobId), JSON.stringify(plan));
}

export async function readJobPlan(state: StateStore, jobId: JobId): Promise<JobPlan | undefined> {
  const key = planKey(jobId);
  const stored = await state.read(key);
  if (!stored) return undefined;
  const r = expectRecord(JSON.parse(stored.body.toString('utf8')), key);
  const count = (v: unknown, at: string) => expectInteger(v, at, 0, Number.MAX_SAFE_INTEGER);
  return {
    objects: expectArray(r.objects, `${key}.objects`).map((o, i) => {
      const x = expectRecord(o, `${key}.objects[${i}]`);
      const mapperIds = expectStringArray(x.mapperIds, `${key}.objects[${i}].mapperIds`);
      if (mapperIds.length === 0) throw new InputError(`${key}.objects[${i}].mapperIds: empty`);
      return { object: parseObjectUri(x.object, `${key}.objects[${i}].object`), mapperIds };
    }),
    mappers: expectArray(r.mappers, `${key}.mappers`).map((m, i) => {
      const x = expectRecord(m, `${key}.mappers[${i}]`);
      const at = `${key}.mappers[${i}]`;
      const coverage = x.coverage === undefined ? undefined : expectRecord(x.coverage, `${at}.coverage`);
      return {
        mapperId: expectNonEmptyString(x.mapperId, `${at}.mapperId`),
        matches: count(x.matches, `${at}.matches`),
        manifestRows: count(x.manifestRows, `${at}.manifestRows`),
        queries: count(x.queries, `${at}.queries`),
        objects: count(x.objects, `${at}.objects`),
        ...(coverage
          ? { coverage: { objects: count(coverage.objects, `${at}.coverage.objects`), read: count(coverage.read, `${at}.coverage.read`), notData: count(coverage.notData, `${at}.coverage.notData`) } }
          : {}),
      };
    }),
    matchIds: count(r.matchIds, `${key}.matchIds`),
    matchesSkipped: count(r.matchesSkipped, `${key}.matchesSkipped`),
    matchesUnapplied: count(r.matchesUnapplied, `${key}.matchesUnapplied`),
    bytesScanned: count(r.bytesScanned, `${key}.bytesScanned`),
  };
}

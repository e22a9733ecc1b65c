import { JobId } from '../model/identifiers';
import { expectArray, expectInteger, expectNonEmptyString, expectRecord, expectString, expectStringArray } from '../model/fields';
import { InputError } from '../model/errors';
import { MatchHash } from '../model/match';
import { StateStore } from '../ports/StateStore';
import { putStateValue } from './putStateValue';
import { planKey } from './stateKeys';

/** An object a find query of the mapper returned: it holds a match of that mapper. */
export interface FoundObject {
  mapperId: string;
  object: string;
}

/** An object to rewrite once (one work message), with every mapper whose find returned it. */
export interface PlannedObject {
  object: string;
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

/** jobs/<jobId>/plan.json: what the find found, shown for approval and worked through by forget. */
export interface JobPlan {
  /** Each found object once, with the mappers that found it: one work message, one rewrite. */
  objects: PlannedObject[];
  mappers: MapperPlan[];
  skipped: SkippedMatch[];
  /** Every match in the job, as HMACs: what an auditor checks a request against. */
  matchHashes: MatchHash[];
  /** Every queue item's match accounted for, those that applied nowhere first. */
  matches: MatchAccount[];
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
      return { object: expectNonEmptyString(x.object, `${key}.objects[${i}].object`), mapperIds };
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
    skipped: expectArray(r.skipped, `${key}.skipped`).map((s, i) => {
      const x = expectRecord(s, `${key}.skipped[${i}]`);
      return { matchHash: expectNonEmptyString(x.matchHash, `${key}.skipped[${i}].matchHash`) as MatchHash, mapperId: expectString(x.mapperId, `${key}.skipped[${i}].mapperId`), reason: expectString(x.reason, `${key}.skipped[${i}].reason`) };
    }),
    matchHashes: expectArray(r.matchHashes, `${key}.matchHashes`).map((h, i) => expectNonEmptyString(h, `${key}.matchHashes[${i}]`) as MatchHash),
    // A plan written before matches were accounted for has none to list.
    matches: r.matches === undefined ? [] : expectArray(r.matches, `${key}.matches`).map((m, i) => parseMatchAccount(m, `${key}.matches[${i}]`)),
    bytesScanned: count(r.bytesScanned, `${key}.bytesScanned`),
  };
}

function parseMatchAccount(input: unknown, at: string): MatchAccount {
  const x = expectRecord(input, at);
  return {
    item: expectNonEmptyString(x.item, `${at}.item`),
    matchHash: expectNonEmptyString(x.matchHash, `${at}.matchHash`) as MatchHash,
    appliedTo: expectArray(x.appliedTo, `${at}.appliedTo`).map((a, i) => {
      const y = expectRecord(a, `${at}.appliedTo[${i}]`);
      return { mapperId: expectNonEmptyString(y.mapperId, `${at}.appliedTo[${i}].mapperId`), columns: expectArray(y.columns, `${at}.appliedTo[${i}].columns`).map((c, j) => expectNonEmptyString(c, `${at}.appliedTo[${i}].columns[${j}]`)) };
    }),
    notApplied: expectArray(x.notApplied, `${at}.notApplied`).map((n, i) => {
      const y = expectRecord(n, `${at}.notApplied[${i}]`);
      return { mapperId: expectNonEmptyString(y.mapperId, `${at}.notApplied[${i}].mapperId`), reason: expectString(y.reason, `${at}.notApplied[${i}].reason`) };
    }),
  };
}

import { JobId, StateKey } from '../model/identifiers';
import { expectArray, expectNonEmptyString, expectRecord, expectString } from '../model/fields';
import { MatchHash } from '../model/match';
import { StateStore } from '../ports/StateStore';
import { JobPlan, MatchAccount, SkippedMatch } from './jobPlan';
import { putStateValue } from './putStateValue';
import { matchAccountsKey, matchAccountsPrefix } from './stateKeys';

/**
 * jobs/<jobId>/matches/<part>.jsonl: one MatchAccount a line (`jsonLines`, each ending in a newline), by HMAC and queue item id (no clear
 * match ID). The find writes one part per chunk of the queue as it goes, so a queue of a million
 * items is never one record in memory; the plan carries only the counts. Kept with the report.
 */
export async function writeMatchAccounts(state: StateStore, jobId: JobId, part: number, jsonLines: Buffer): Promise<void> {
  await putStateValue(state, matchAccountsKey(jobId, part), jsonLines);
}

/** Every account the find wrote, part by part, in queue order. */
export async function* readMatchAccounts(state: StateStore, jobId: JobId): AsyncGenerator<MatchAccount> {
  const keys: StateKey[] = [];
  for await (const key of state.list(matchAccountsPrefix(jobId))) keys.push(key);
  for (const key of keys.sort()) {
    const stored = await state.read(key);
    if (!stored) continue;
    const lines = stored.body.toString('utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (lines[i]!.length > 0) yield parseMatchAccount(JSON.parse(lines[i]!), `${key} line ${i + 1}`);
    }
  }
}

/** What a page or a report lists of a job's match accounts, without holding a large queue's accounts. */
export interface ListedMatchAccounts {
  /** Those that applied nowhere first, then the others, in queue order; at most the limit in all. */
  accounts: MatchAccount[];
  /** Skips (a mapper of the job no column of which fits the match), at most the limit. */
  skipped: SkippedMatch[];
}

/**
 * One pass over the accounts the find wrote, keeping at most `limit` of each list. With the plan's
 * counts it stops once every list is full or complete: a report of a million matches that all
 * applied reads the first part only.
 */
export async function listMatchAccounts(
  state: StateStore,
  jobId: JobId,
  jobMapperIds: ReadonlySet<string>,
  limit: number,
  counted?: Pick<JobPlan, 'matchesUnapplied' | 'matchesSkipped'>,
): Promise<ListedMatchAccounts> {
  const unapplied: MatchAccount[] = [];
  const applied: MatchAccount[] = [];
  const skipped: SkippedMatch[] = [];
  const complete = () =>
    counted !== undefined &&
    unapplied.length === Math.min(counted.matchesUnapplied, limit) &&
    skipped.length === Math.min(counted.matchesSkipped, limit) &&
    unapplied.length + applied.length >= limit;
  for await (const account of readMatchAccounts(state, jobId)) {
    const list = account.appliedTo.length === 0 ? unapplied : applied;
    if (list.length < limit) list.push(account);
    if (skipped.length < limit) skipped.push(...skippedMatches(account, jobMapperIds).slice(0, limit - skipped.length));
    if (complete()) break;
  }
  return { accounts: [...unapplied, ...applied].slice(0, limit), skipped };
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

/** The account's skips: a mapper of the job that none of the match's columns fits (a mapper the job lacks is not a skip). */
export function skippedMatches(account: MatchAccount, jobMapperIds: ReadonlySet<string>): SkippedMatch[] {
  return account.notApplied.filter((n) => jobMapperIds.has(n.mapperId)).map((n) => ({ matchHash: account.matchHash, mapperId: n.mapperId, reason: n.reason }));
}

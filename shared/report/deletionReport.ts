import { Job, JobStatus, ObjectTotals } from '../model/job';
import { ObjectResult } from '../model/objectResult';
import { MapperPlan, MatchAccount, SkippedMatch } from '../records/jobPlan';

/** How many match accounts and skips report.json lists; the record of every one is named beside them. */
export const REPORT_MATCHES_LISTED = 10_000;

/** What an auditor reads: who ran the job, over what, what changed, what failed, and the proof. */
export interface DeletionReport {
  reportVersion: 1;
  /** cleanupFailures: what the end of the job could not clean up (queue, manifests), by key, never a match ID. */
  job: { id: string; status: JobStatus; createdBy: string; createdAt: string; finishedAt: string; failure?: string; cleanupFailures?: string[] };
  mappers: Array<{ id: string; location: string; format: string; columns: string[]; deleteOldVersions: boolean } & Partial<Omit<MapperPlan, 'mapperId'>>>;
  /**
   * The queue items of the job, as counts; `skipped` lists at most REPORT_MATCHES_LISTED skips and
   * `accounts` names where every match's account is (jobs/<jobId>/matches/, one line per item).
   */
  matchIds: { count: number; unapplied: number; skippedTotal: number; skipped: SkippedMatch[]; hashAlgorithm: 'HMAC-SHA256'; accounts: string };
  /**
   * Matches by HMAC: where each was applied, or why not; those that applied nowhere first. At most
   * REPORT_MATCHES_LISTED (a queue of a million items would make a report no one opens); every one
   * is in `matchIds.accounts`.
   */
  matches: MatchAccount[];
  find: { queries: number; bytesScanned: number };
  objects: ObjectResult[];
  totals: ObjectTotals;
  verification: { ran: boolean; objectsWithMatches: string[] };
}

export function reportStatusSentence(report: DeletionReport): string {
  const t = report.totals;
  const unapplied = report.matchIds.unapplied;
  const one = unapplied === 1;
  return `${report.job.status}: ${t.rowsDeleted} rows deleted from ${t.objectsUpdated} of ${t.objectsFound} objects; ${t.objectsFailed} failed; verification ${report.verification.ran ? (report.verification.objectsWithMatches.length === 0 ? 'found no match left' : `found matches left in ${report.verification.objectsWithMatches.length} objects`) : 'did not run'}.${
    unapplied > 0 ? ` ${unapplied} match ${one ? 'ID' : 'IDs'} applied to no column of any mapper and ${one ? 'stays' : 'stay'} in the deletion queue: fix the ID or the mapper, or remove ${one ? 'it' : 'them'} (lethe queue remove).` : ''
  }`;
}

/** "customers: customer_id; events: email" — where a match was applied. */
export function describeApplied(account: MatchAccount): string {
  return account.appliedTo.map((a) => `${a.mapperId}: ${a.columns.join(', ')}`).join('; ');
}

/** "orders: no column holds the value exactly: ..." — where it was not, and why. */
export function describeNotApplied(account: MatchAccount): string {
  return account.notApplied.map((n) => `${n.mapperId}: ${n.reason}`).join('; ');
}

/** The coverage proof in one line: "12 objects under the location, 10 read, 2 not data (names starting with _ or .)". */
export function describeCoverage(mapper: DeletionReport['mappers'][number]): string {
  const c = mapper.coverage;
  if (!c) return 'not listed';
  const searched = mapper.queries === 0 && c.objects > c.notData ? ' (no match applies: not searched)' : '';
  return `${c.objects} objects under the location, ${c.read} read, ${c.notData} not data (names starting with _ or .)${searched}`;
}


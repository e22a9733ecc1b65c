import { Job } from '../model/job';
import { StateStore } from '../ports/StateStore';
import { JobPlan } from '../records/jobPlan';
import { listObjectResults } from '../records/objectResults';
import { Verification } from '../records/verification';
import { countObjectResults } from './countObjectResults';
import { describeMapperLocation } from '../model/dataMapper';
import { DeletionReport, REPORT_MATCHES_LISTED } from './deletionReport';
import { listMatchAccounts } from '../records/matchAccounts';
import { matchAccountsPrefix } from '../records/stateKeys';

/** Gathers the report from the job, its plan (absent when find failed) and the object results. */
export async function buildReport(state: StateStore, job: Job, plan: JobPlan | undefined, verification: Verification, cleanupFailures: readonly string[] = []): Promise<DeletionReport> {
  const results = (await listObjectResults(state, job.id)).sort((a, b) => (a.object < b.object ? -1 : 1));
  const emptyPlan: JobPlan = { objects: [], mappers: [], matchIds: 0, matchesSkipped: 0, matchesUnapplied: 0, bytesScanned: 0 };
  const listed = plan ? await listMatchAccounts(state, job.id, new Set(job.mappers.map((m) => m.id)), REPORT_MATCHES_LISTED, plan) : { accounts: [], skipped: [] };
  const totals = countObjectResults(plan ?? emptyPlan, results);
  return {
    reportVersion: 1,
    job: {
      id: job.id,
      status: job.status,
      createdBy: job.createdBy,
      createdAt: job.createdAt,
      finishedAt: job.finishedAt ?? new Date().toISOString(),
      ...(job.failure ? { failure: job.failure } : {}),
      ...(cleanupFailures.length > 0 ? { cleanupFailures: [...cleanupFailures] } : {}),
    },
    mappers: job.mappers.map((mapper) => {
      const planned = plan?.mappers.find((m) => m.mapperId === mapper.id);
      return {
        id: mapper.id,
        location: describeMapperLocation(mapper),
        format: mapper.format ?? 'from catalog',
        columns: mapper.columns,
        deleteOldVersions: mapper.deleteOldVersions,
        ...(planned ? { matches: planned.matches, manifestRows: planned.manifestRows, queries: planned.queries, objects: planned.objects } : {}),
        ...(planned?.coverage ? { coverage: planned.coverage } : {}),
      };
    }),
    matchIds: {
      count: job.counters.matchIds,
      unapplied: plan?.matchesUnapplied ?? 0,
      skippedTotal: plan?.matchesSkipped ?? 0,
      skipped: listed.skipped,
      hashAlgorithm: 'HMAC-SHA256',
      accounts: state.describe(matchAccountsPrefix(job.id)),
    },
    matches: listed.accounts,
    find: { queries: job.counters.queries, bytesScanned: job.counters.bytesScanned },
    objects: results,
    totals,
    verification,
  };
}

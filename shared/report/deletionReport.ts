import { Job, JobStatus } from '../model/job';
import { ObjectResult } from '../model/objectResult';
import { MatchHash } from '../model/match';
import { MapperPlan, SkippedMatch } from '../records/jobPlan';

/** What an auditor reads: who ran the job, over what, what changed, what failed, and the proof. */
export interface DeletionReport {
  reportVersion: 1;
  job: { id: string; status: JobStatus; createdBy: string; createdAt: string; finishedAt: string; failure?: string };
  mappers: Array<{ id: string; location: string; format: string; columns: string[]; deleteOldVersions: boolean } & Partial<Omit<MapperPlan, 'mapperId'>>>;
  matchIds: { count: number; hashes: MatchHash[]; skipped: SkippedMatch[]; hashAlgorithm: 'HMAC-SHA256' };
  find: { queries: number; bytesScanned: number };
  objects: ObjectResult[];
  totals: { objectsFound: number; objectsUpdated: number; objectsUnchanged: number; objectsMissing: number; objectsFailed: number; rowsDeleted: number; versionsDeleted: number };
  verification: { ran: boolean; objectsWithMatches: string[] };
}

export function reportStatusSentence(report: DeletionReport): string {
  const t = report.totals;
  return `${report.job.status}: ${t.rowsDeleted} rows deleted from ${t.objectsUpdated} of ${t.objectsFound} objects; ${t.objectsFailed} failed; verification ${report.verification.ran ? (report.verification.objectsWithMatches.length === 0 ? 'found no match left' : `found matches left in ${report.verification.objectsWithMatches.length} objects`) : 'did not run'}.`;
}

export function describeMapperLocation(mapper: Job['mappers'][number]): string {
  return mapper.location.kind === 'prefix' ? mapper.location.uri : `glue:${mapper.location.database}.${mapper.location.table}`;
}

import { unreachable } from '../model/errors';
import { JobId } from '../model/identifiers';
import { ObjectTotals, TerminalStatus } from '../model/job';
import { Notification } from '../ports/Notifier';

/** What a job plan holds, in counts: what an approver decides on. */
export interface PlanCounts {
  objects: number;
  /** Queue items in the job; those that apply to no mapper; matches that cast to none of a mapper's columns. */
  matches: number;
  matchesUnapplied: number;
  matchesSkipped: number;
  bytesScanned: number;
  mappers: Array<{ mapperId: string; objects: number; matches: number }>;
}

/** What a data-protection officer is told about a job: a job awaiting approval, a job ended. */
export type JobNotification =
  | { kind: 'awaitingApproval'; jobId: JobId; plan: PlanCounts }
  | { kind: 'finished'; jobId: JobId; status: TerminalStatus; totals: ObjectTotals; failedObjects: string[]; failure?: string; report: string };

/** Failed objects named in full; the rest are counted (an e-mail, not the report). */
const LISTED_FAILURES = 20;

/** SNS refuses a longer subject: the subject names the job and what happened, the text has the counts. */
const MAX_SUBJECT = 100;

/** The subject and text of a notification, for e-mail and chat: what the job did or, while it waits, how to approve or reject it. */
export function renderNotification(n: JobNotification): Notification {
  const { subject, text } = render(n);
  return { jobId: n.jobId, kind: n.kind, subject: subject.length > MAX_SUBJECT ? `${subject.slice(0, MAX_SUBJECT - 3)}...` : subject, text };
}

function render(n: JobNotification): { subject: string; text: string } {
  switch (n.kind) {
    case 'awaitingApproval': {
      const p = n.plan;
      return {
        subject: `lethe job ${n.jobId} awaits approval (${p.objects} objects)`,
        text: [
          `lethe job ${n.jobId} has found what to erase and waits for approval. Nothing has been changed yet.`,
          '',
          `Objects to rewrite: ${p.objects}`,
          `Match IDs: ${p.matches} (${p.matchesUnapplied} apply to no mapper, ${p.matchesSkipped} skipped for a mapper's column types)`,
          `Data scanned: ${p.bytesScanned} bytes`,
          ...p.mappers.map((m) => `Mapper ${m.mapperId}: ${m.objects} objects, ${m.matches} match IDs`),
          '',
          `Approve: lethe job approve ${n.jobId}`,
          `Reject:  lethe job reject ${n.jobId}`,
          `Or in the console (lethe console): /jobs/${n.jobId}, Approve or Reject.`,
        ].join('\n'),
      };
    }
    case 'finished': {
      const t = n.totals;
      const more = n.failedObjects.length - LISTED_FAILURES;
      return {
        subject: `lethe job ${n.jobId} ${n.status}`,
        text: [
          `lethe job ${n.jobId} ended ${n.status}.`,
          ...(n.failure ? [`Why: ${n.failure}`] : []),
          '',
          // As in the report: an object with no final result (a rejected or cancelled job's) counts as failed.
          `Objects found: ${t.objectsFound}; updated: ${t.objectsUpdated}; unchanged: ${t.objectsUnchanged}; missing: ${t.objectsMissing}; failed or not done: ${t.objectsFailed}`,
          `Rows deleted: ${t.rowsDeleted}; old versions deleted: ${t.versionsDeleted}`,
          ...(n.failedObjects.length > 0 ? ['', 'Failed objects:', ...n.failedObjects.slice(0, LISTED_FAILURES).map((o) => `- ${o}`), ...(more > 0 ? [`and ${more} more (see the report)`] : [])] : []),
          '',
          `Report: ${n.report} (lethe job report ${n.jobId})`,
        ].join('\n'),
      };
    }
    default:
      return unreachable(n);
  }
}

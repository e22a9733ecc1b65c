import { JobId } from '../model/identifiers';

/**
 * A message for people about a job, rendered by the logic (shared/report/renderNotification.ts):
 * counts, statuses and object URIs only, never a match ID or a hash, since it leaves lethe's stack
 * for e-mail and chat.
 */
export interface Notification {
  jobId: JobId;
  kind: 'awaitingApproval' | 'finished';
  /** At most 100 characters (SNS refuses longer). */
  subject: string;
  text: string;
}

/** Tells people about a job: the stack's SNS topic on AWS, the job's own events locally. */
export interface Notifier {
  notify(notification: Notification): Promise<void>;
}

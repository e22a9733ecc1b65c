import { errorMessage } from '../model/errors';
import { Ports } from '../ports/Ports';
import { appendEvent } from '../records/jobEvents';
import { JobPlan } from '../records/jobPlan';
import { JobNotification, PlanCounts, renderNotification } from '../report/renderNotification';

/**
 * Renders and sends a notification. A failed send is recorded as the job's NotificationFailed event and does not
 * change the job: its work, its report and its status stand whether or not the topic took the message.
 */
export async function notifyJob(ports: Ports, notification: JobNotification): Promise<void> {
  try {
    await ports.notifier.notify(renderNotification(notification));
  } catch (error) {
    await appendEvent(ports.state, notification.jobId, 'NotificationFailed', { kind: notification.kind, error: errorMessage(error) });
  }
}

/** The plan as an approver reads it: counts per job and per mapper. */
export function planCounts(plan: JobPlan): PlanCounts {
  return {
    objects: plan.objects.length,
    matches: plan.matchIds,
    matchesUnapplied: plan.matchesUnapplied,
    matchesSkipped: plan.matchesSkipped,
    bytesScanned: plan.bytesScanned,
    mappers: plan.mappers.map((m) => ({ mapperId: m.mapperId, objects: m.objects, matches: m.matches })),
  };
}

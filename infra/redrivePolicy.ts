/** Source queue -> dead-letter queue after `maxReceiveCount` deliveries, as SQS wants it: a JSON string. */
export function redrivePolicyJson(deadLetterTargetArn: string, maxReceiveCount: number): string {
  return JSON.stringify({ deadLetterTargetArn, maxReceiveCount });
}

/** Only the deletion queue may use the dead-letter queue. */
export function redriveAllowPolicyJson(sourceQueueArn: string): string {
  return JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [sourceQueueArn] });
}

export interface QueueTimings {
  visibilityTimeoutSeconds: number;
  deletionRetentionSeconds: number;
  deadLetterRetentionSeconds: number;
}

const DAY = 86_400;

/**
 * The visibility timeout is the worker's heartbeat window (settings.visibilityTimeoutSeconds): the
 * worker extends it while it rewrites. Work waits up to 4 days (a job awaiting approval); failures
 * stay 14 days, SQS's maximum, so someone can inspect them. SQS requires the dead-letter retention to
 * be at least the source's, or messages expire early after a move.
 */
export function queueTimingsFor(visibilityTimeoutSeconds: number): QueueTimings {
  return { visibilityTimeoutSeconds, deletionRetentionSeconds: 4 * DAY, deadLetterRetentionSeconds: 14 * DAY };
}

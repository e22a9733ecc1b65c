/** CloudWatch alarm settings lethe decides: any failure is worth a look, once, not every minute. */
export interface AlarmSpec {
  namespace: string;
  metricName: string;
  statistic: 'Maximum' | 'Sum';
  comparisonOperator: 'GreaterThanOrEqualToThreshold';
  threshold: number;
  periodSeconds: number;
  evaluationPeriods: number;
  treatMissingData: 'notBreaching';
}

/** One message in the dead-letter queue is one object that was not rewritten. */
export const DEAD_LETTER_ALARM: AlarmSpec = {
  namespace: 'AWS/SQS',
  metricName: 'ApproximateNumberOfMessagesVisible',
  statistic: 'Maximum',
  comparisonOperator: 'GreaterThanOrEqualToThreshold',
  threshold: 1,
  periodSeconds: 300,
  evaluationPeriods: 1,
  treatMissingData: 'notBreaching',
};

/** A find task that stopped with a non-zero exit code is a job that did not end COMPLETED. */
export const FAILED_JOB_ALARM: AlarmSpec = {
  namespace: 'AWS/Events',
  metricName: 'MatchedEvents',
  statistic: 'Sum',
  comparisonOperator: 'GreaterThanOrEqualToThreshold',
  threshold: 1,
  periodSeconds: 300,
  evaluationPeriods: 1,
  treatMissingData: 'notBreaching',
};

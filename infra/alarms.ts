import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { AlarmSpec, DEAD_LETTER_ALARM, FAILED_JOB_ALARM } from './alarmThresholds';

export interface AlarmsArgs {
  topicArn: pulumi.Input<string>;
  deadLetterQueueName: pulumi.Input<string>;
  failedJobRuleName: pulumi.Input<string>;
}

/** Alarms that page through the job topic: dead-letter queue depth and failed jobs. */
export class Alarms extends pulumi.ComponentResource {
  readonly alarmNames: pulumi.Output<string[]>;

  constructor(name: string, args: AlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('lethe:alarms:Alarms', name, {}, opts);
    const alarm = (suffix: string, description: string, spec: AlarmSpec, dimensions: Record<string, pulumi.Input<string>>) =>
      new aws.cloudwatch.MetricAlarm(
        `${name}-${suffix}`,
        {
          alarmDescription: description,
          namespace: spec.namespace,
          metricName: spec.metricName,
          statistic: spec.statistic,
          comparisonOperator: spec.comparisonOperator,
          threshold: spec.threshold,
          period: spec.periodSeconds,
          evaluationPeriods: spec.evaluationPeriods,
          treatMissingData: spec.treatMissingData,
          dimensions,
          alarmActions: [args.topicArn],
          okActions: [args.topicArn],
        },
        { parent: this },
      );
    const dlq = alarm('dead-letters', 'lethe: objects failed to rewrite after maxReceiveCount tries (dead-letter queue not empty)', DEAD_LETTER_ALARM, {
      QueueName: args.deadLetterQueueName,
    });
    const failed = alarm('failed-jobs', 'lethe: a job ended in a status other than COMPLETED', FAILED_JOB_ALARM, { RuleName: args.failedJobRuleName });
    this.alarmNames = pulumi.all([dlq.name, failed.name]);
    this.registerOutputs({ alarmNames: this.alarmNames });
  }
}

import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { AwsScope } from './policyDocument';
import { jobStoppedPattern, jobTopicPolicy } from './topicPolicy';

export interface NotificationsArgs {
  scope: pulumi.Input<AwsScope>;
  kmsKeyArn: pulumi.Input<string>;
  /** Fixed (ResourceNames.jobTopic): the task environment and the policies name it before it exists. */
  topicName: string;
  clusterArn: pulumi.Input<string>;
  findFamily: string;
  ruleName: string;
  email?: string;
}

/**
 * The job topic, encrypted: lethe publishes a job awaiting approval and a finished job to it, every
 * stopped find task is published by an EventBridge rule, and alarms go to it; e-mailed if asked.
 */
export class Notifications extends pulumi.ComponentResource {
  readonly topicArn: pulumi.Output<string>;
  /** Matches find tasks that ended with a non-zero exit code: the failed-jobs alarm counts it. */
  readonly failedJobRuleName: pulumi.Output<string>;

  constructor(name: string, args: NotificationsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('lethe:notifications:Notifications', name, {}, opts);
    const parent = { parent: this };
    const topic = new aws.sns.Topic(`${name}-jobs`, { name: args.topicName, kmsMasterKeyId: args.kmsKeyArn }, parent);
    const rule = (suffix: string, ruleName: string, failedOnly: boolean) =>
      new aws.cloudwatch.EventRule(
        `${name}-${suffix}`,
        { name: ruleName, description: `lethe: find task ${failedOnly ? 'failed' : 'finished'}`, eventPattern: pulumi.output(args.clusterArn).apply((c) => jobStoppedPattern(c, args.findFamily, failedOnly)) },
        parent,
      );
    const outcome = rule('outcome', args.ruleName, false);
    const failed = rule('failed', `${args.ruleName}-failed`, true);
    new aws.cloudwatch.EventTarget(
      `${name}-outcome`,
      {
        rule: outcome.name,
        arn: topic.arn,
        inputTransformer: {
          inputPaths: { task: '$.detail.taskArn', code: '$.detail.containers[0].exitCode', reason: '$.detail.stoppedReason' },
          inputTemplate: '"lethe job task <task> stopped with exit code <code> (<reason>); see lethe job list for the job status"',
        },
      },
      parent,
    );
    new aws.sns.TopicPolicy(
      `${name}-jobs-policy`,
      {
        arn: topic.arn,
        policy: pulumi.all([topic.arn, args.scope, outcome.arn, failed.arn]).apply(([arn, scope, a, b]) => JSON.stringify(jobTopicPolicy(arn, scope.accountId, [a, b]))),
      },
      parent,
    );
    if (args.email) {
      new aws.sns.TopicSubscription(`${name}-email`, { topic: topic.arn, protocol: 'email', endpoint: args.email }, parent);
    }
    this.topicArn = topic.arn;
    this.failedJobRuleName = failed.name;
    this.registerOutputs({ topicArn: this.topicArn, failedJobRuleName: this.failedJobRuleName });
  }
}

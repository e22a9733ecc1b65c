import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { tlsOnlyQueuePolicy } from './queuePolicy';
import { queueTimingsFor, redriveAllowPolicyJson, redrivePolicyJson } from './redrivePolicy';

export interface QueuesArgs {
  deletionQueueName: string;
  deadLetterQueueName: string;
  kmsKeyArn: pulumi.Input<string>;
  maxReceiveCount: number;
  visibilityTimeoutSeconds: number;
}

/** The deletion queue (one message per object to rewrite) and its dead-letter queue. */
export class Queues extends pulumi.ComponentResource {
  readonly deletionQueueUrl: pulumi.Output<string>;
  readonly deletionQueueArn: pulumi.Output<string>;
  readonly deadLetterQueueUrl: pulumi.Output<string>;
  readonly deadLetterQueueArn: pulumi.Output<string>;
  readonly deadLetterQueueName: pulumi.Output<string>;

  constructor(name: string, args: QueuesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('lethe:queues:Queues', name, {}, opts);
    const parent = { parent: this };
    const timings = queueTimingsFor(args.visibilityTimeoutSeconds);
    const encryption = { kmsMasterKeyId: args.kmsKeyArn, kmsDataKeyReusePeriodSeconds: 300 };
    const dlq = new aws.sqs.Queue(`${name}-dlq`, { name: args.deadLetterQueueName, messageRetentionSeconds: timings.deadLetterRetentionSeconds, ...encryption }, parent);
    const queue = new aws.sqs.Queue(
      name,
      {
        name: args.deletionQueueName,
        visibilityTimeoutSeconds: timings.visibilityTimeoutSeconds,
        messageRetentionSeconds: timings.deletionRetentionSeconds,
        receiveWaitTimeSeconds: 20,
        redrivePolicy: dlq.arn.apply((arn) => redrivePolicyJson(arn, args.maxReceiveCount)),
        ...encryption,
      },
      parent,
    );
    new aws.sqs.RedriveAllowPolicy(`${name}-dlq-allow`, { queueUrl: dlq.url, redriveAllowPolicy: queue.arn.apply(redriveAllowPolicyJson) }, parent);
    for (const [suffix, q] of [['', queue], ['-dlq', dlq]] as const) {
      new aws.sqs.QueuePolicy(`${name}${suffix}-policy`, { queueUrl: q.url, policy: q.arn.apply((arn) => JSON.stringify(tlsOnlyQueuePolicy(arn))) }, parent);
    }
    this.deletionQueueUrl = queue.url;
    this.deletionQueueArn = queue.arn;
    this.deadLetterQueueUrl = dlq.url;
    this.deadLetterQueueArn = dlq.arn;
    this.deadLetterQueueName = dlq.name;
    this.registerOutputs({
      deletionQueueUrl: this.deletionQueueUrl,
      deletionQueueArn: this.deletionQueueArn,
      deadLetterQueueUrl: this.deadLetterQueueUrl,
      deadLetterQueueArn: this.deadLetterQueueArn,
    });
  }
}

import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { keyPolicyJson } from './awsScope';
import { SecureBucket } from './secureBucket';
import { LakeBucket } from './stackConfig';
import { stateBucketLifecycleRules } from './stateBucketLifecycle';
import { AwsScope } from './policyDocument';

export interface StorageArgs {
  scope: pulumi.Input<AwsScope>;
  retentionDays: number;
  lakeBuckets: LakeBucket[];
  forceDestroy: boolean;
}

/**
 * lethe's customer-managed key, the state bucket (queue, jobs, manifests, reports, lock, Athena
 * results, temp files) and, for a fresh lake, the lake buckets the config asks lethe to create.
 */
export class Storage extends pulumi.ComponentResource {
  readonly keyArn: pulumi.Output<string>;
  readonly stateBucketName: pulumi.Output<string>;
  readonly stateBucketArn: pulumi.Output<string>;
  /** Keys of the lake buckets (lethe's for created ones, the configured ones for the rest). */
  readonly lakeKeyArns: pulumi.Output<string[]>;

  constructor(name: string, args: StorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super('lethe:storage:Storage', name, {}, opts);
    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `lethe ${name}: state bucket, queues, logs, Athena results`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: pulumi.output(args.scope).apply(keyPolicyJson),
      },
      { parent: this },
    );
    new aws.kms.Alias(`${name}-key-alias`, { name: `alias/${name}`, targetKeyId: key.keyId }, { parent: this });
    const state = new SecureBucket(
      `${name}-state`,
      { kmsKeyArn: key.arn, forceDestroy: args.forceDestroy, lifecycleRules: stateBucketLifecycleRules(args.retentionDays) },
      { parent: this },
    );
    for (const lake of args.lakeBuckets.filter((b) => b.create)) {
      new SecureBucket(`${name}-lake-${lake.name}`, { bucketName: lake.name, kmsKeyArn: key.arn, forceDestroy: args.forceDestroy }, { parent: this });
    }
    const configured = args.lakeBuckets.flatMap((b) => (b.kmsKeyArn ? [b.kmsKeyArn] : []));
    this.keyArn = key.arn;
    this.stateBucketName = state.bucketName;
    this.stateBucketArn = state.arn;
    this.lakeKeyArns = key.arn.apply((arn) => [...new Set([arn, ...configured])]);
    this.registerOutputs({ keyArn: this.keyArn, stateBucketName: this.stateBucketName, stateBucketArn: this.stateBucketArn, lakeKeyArns: this.lakeKeyArns });
  }
}

import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { secureBucketPolicy } from './bucketPolicy';
import { LifecycleRule } from './stateBucketLifecycle';

export interface SecureBucketArgs {
  /** A physical name (lake buckets named in config); absent lets Pulumi name it. */
  bucketName?: string;
  kmsKeyArn: pulumi.Input<string>;
  forceDestroy: boolean;
  lifecycleRules?: LifecycleRule[];
}

/** A bucket as lethe keeps every bucket: versioned, SSE-KMS, private, owner-enforced, TLS only. */
export class SecureBucket extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super('lethe:storage:SecureBucket', name, {}, opts);
    const parent = { parent: this };
    const bucket = new aws.s3.Bucket(name, { ...(args.bucketName ? { bucket: args.bucketName } : {}), forceDestroy: args.forceDestroy }, parent);
    const versioning = new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } }, parent);
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true }],
      },
      parent,
    );
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      parent,
    );
    new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } }, parent);
    new aws.s3.BucketPolicy(
      `${name}-policy`,
      {
        bucket: bucket.id,
        policy: pulumi.all([bucket.arn, args.kmsKeyArn]).apply(([arn, key]) => JSON.stringify(secureBucketPolicy(arn, key))),
      },
      { parent: this, dependsOn: [publicAccess] },
    );
    if (args.lifecycleRules) {
      new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, { bucket: bucket.id, rules: args.lifecycleRules }, { parent: this, dependsOn: [versioning] });
    }
    this.bucketName = bucket.bucket;
    this.arn = bucket.arn;
    this.registerOutputs({ bucketName: this.bucketName, arn: this.arn });
  }
}

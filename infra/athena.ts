import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { STATE_PREFIXES } from './resourceNames';

export interface AthenaArgs {
  workgroupName: string;
  stateBucketName: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
  bytesScannedCutoffPerQuery: number;
  forceDestroy: boolean;
}

/**
 * The find queries' workgroup. Its configuration is enforced, so a client cannot send results
 * elsewhere or unencrypted, and each query is cancelled past the bytes-scanned cutoff (a cost guard).
 */
export class Athena extends pulumi.ComponentResource {
  readonly workgroupName: pulumi.Output<string>;
  readonly workgroupArn: pulumi.Output<string>;

  constructor(name: string, args: AthenaArgs, opts?: pulumi.ComponentResourceOptions) {
    super('lethe:athena:Athena', name, {}, opts);
    const workgroup = new aws.athena.Workgroup(
      name,
      {
        name: args.workgroupName,
        description: 'lethe find and verify queries',
        forceDestroy: args.forceDestroy,
        configuration: {
          enforceWorkgroupConfiguration: true,
          publishCloudwatchMetricsEnabled: true,
          bytesScannedCutoffPerQuery: args.bytesScannedCutoffPerQuery,
          engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
          resultConfiguration: {
            outputLocation: pulumi.interpolate`s3://${args.stateBucketName}/${STATE_PREFIXES.athenaResults}`,
            encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKeyArn: args.kmsKeyArn },
          },
        },
      },
      { parent: this },
    );
    this.workgroupName = workgroup.name;
    this.workgroupArn = workgroup.arn;
    this.registerOutputs({ workgroupName: this.workgroupName, workgroupArn: this.workgroupArn });
  }
}

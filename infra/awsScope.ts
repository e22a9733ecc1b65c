import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { letheKeyPolicy } from './keyPolicy';
import { AwsScope } from './policyDocument';

/** Partition, region and account of the stack's provider, for scoping ARNs. */
export function awsScopeOutput(): pulumi.Output<AwsScope> {
  return pulumi
    .all([aws.getPartitionOutput(), aws.getRegionOutput(), aws.getCallerIdentityOutput()])
    .apply(([p, r, id]) => ({ partition: p.partition, region: r.region, accountId: id.accountId }));
}

export function keyPolicyJson(scope: AwsScope): string {
  return JSON.stringify(letheKeyPolicy(scope));
}

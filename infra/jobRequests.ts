import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { eventsTrustPolicy, jobRequestInputTransformer, jobRequestPattern, runFindTaskPolicy } from './jobRequestRule';
import { AwsScope } from './policyDocument';
import { ResourceNames } from './resourceNames';

export interface JobRequestsArgs {
  scope: pulumi.Input<AwsScope>;
  names: ResourceNames;
  stateBucketName: pulumi.Input<string>;
  clusterArn: pulumi.Input<string>;
  findTaskDefinitionArn: pulumi.Input<string>;
  findContainer: string;
  findRoleArn: pulumi.Input<string>;
  executionRoleArn: pulumi.Input<string>;
  subnetIds: pulumi.Input<string[]>;
  securityGroupId: pulumi.Input<string>;
}

/**
 * How a job starts on AWS: the CLI or console writes requests/<ts>-<job>.json to the state bucket,
 * S3 sends the event to EventBridge, and this rule runs the find task with the request's key. Only
 * the rule's role may run the task and pass its roles; operators hold neither permission.
 */
export class JobRequests extends pulumi.ComponentResource {
  readonly ruleName: pulumi.Output<string>;

  constructor(name: string, args: JobRequestsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('lethe:requests:JobRequests', name, {}, opts);
    const parent = { parent: this };
    const n = args.names;
    new aws.s3.BucketNotification(`${name}-eventbridge`, { bucket: args.stateBucketName, eventbridge: true }, parent);
    const role = new aws.iam.Role(
      `${name}-run-find`,
      { description: 'lethe: EventBridge runs the find task for a job request', assumeRolePolicy: pulumi.output(args.scope).apply((s) => JSON.stringify(eventsTrustPolicy(s))), maxSessionDuration: 3600 },
      parent,
    );
    new aws.iam.RolePolicy(
      `${name}-run-find`,
      {
        role: role.id,
        policy: pulumi
          .all([args.scope, args.findRoleArn, args.executionRoleArn])
          .apply(([scope, findRoleArn, executionRoleArn]) => JSON.stringify(runFindTaskPolicy({ ...scope, cluster: n.cluster, findFamily: n.findFamily, passRoleArns: [findRoleArn, executionRoleArn] }))),
      },
      parent,
    );
    const rule = new aws.cloudwatch.EventRule(
      name,
      { name: n.jobRequestRule, description: 'lethe: run the find task for a job request', eventPattern: pulumi.output(args.stateBucketName).apply(jobRequestPattern) },
      parent,
    );
    new aws.cloudwatch.EventTarget(
      name,
      {
        rule: rule.name,
        arn: args.clusterArn,
        roleArn: role.arn,
        ecsTarget: {
          taskDefinitionArn: args.findTaskDefinitionArn,
          taskCount: 1,
          launchType: 'FARGATE',
          networkConfiguration: { subnets: args.subnetIds, securityGroups: [args.securityGroupId], assignPublicIp: false },
        },
        inputTransformer: jobRequestInputTransformer(args.findContainer),
      },
      parent,
    );
    this.ruleName = rule.name;
    this.registerOutputs({ ruleName: this.ruleName });
  }
}

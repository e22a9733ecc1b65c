import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { auditorPolicy, ecsTasksTrustPolicy, executionPolicy, findTaskPolicy, forgetTaskPolicy, operatorPolicy } from './iamPolicies';
import { LakeScope } from './lakeScope';
import { AwsScope, PolicyDocument } from './policyDocument';
import { ResourceNames } from './resourceNames';

export interface IamArgs {
  scope: pulumi.Input<AwsScope>;
  names: ResourceNames;
  lake: LakeScope;
  /** The mapped tables are governed by Lake Formation (the find role then needs GetDataAccess). */
  lakeFormation: boolean;
  stateBucketName: pulumi.Input<string>;
  kmsKeyArns: pulumi.Input<string[]>;
  /** lethe's own key: it encrypts the HMAC key parameter. */
  letheKeyArn: pulumi.Input<string>;
  manifestsTable: pulumi.Input<string>;
  deletionQueueArn: pulumi.Input<string>;
  deadLetterQueueArn: pulumi.Input<string>;
}

/**
 * One role per task, each with one inline policy from iamPolicies.ts, the ECS execution role, and a
 * managed policy for operators of the CLI.
 */
export class Iam extends pulumi.ComponentResource {
  readonly executionRoleArn: pulumi.Output<string>;
  readonly findRoleArn: pulumi.Output<string>;
  readonly forgetRoleArn: pulumi.Output<string>;
  /** Managed policy for whoever runs the `lethe` CLI against this stack. */
  readonly operatorPolicyArn: pulumi.Output<string>;
  /** Managed policy for auditors: reports and job records, never the queue, manifests or HMAC key. */
  readonly auditorPolicyArn: pulumi.Output<string>;

  constructor(name: string, args: IamArgs, opts?: pulumi.ComponentResourceOptions) {
    super('lethe:iam:Iam', name, {}, opts);
    const n = args.names;
    const taskScope = pulumi
      .all([args.scope, args.stateBucketName, args.kmsKeyArns, args.letheKeyArn, args.manifestsTable, args.deletionQueueArn, args.deadLetterQueueArn])
      .apply(([scope, stateBucket, kmsKeyArns, letheKeyArn, manifestsTable, deletionQueueArn, deadLetterQueueArn]) => ({
        ...scope,
        stateBucket,
        kmsKeyArns,
        letheKeyArn,
        hmacKeyParameter: n.hmacKeyParameter,
        jobTopic: n.jobTopic,
        lake: args.lake,
        lakeFormation: args.lakeFormation,
        letheDatabase: n.glueDatabase,
        manifestsTable,
        workgroup: n.workgroup,
        deletionQueueArn,
        deadLetterQueueArn,
        cluster: n.cluster,
        forgetService: n.forgetService,
      }));
    const role = (suffix: string, description: string, policy: pulumi.Output<PolicyDocument>) => {
      const r = new aws.iam.Role(
        `${name}-${suffix}`,
        { description, assumeRolePolicy: pulumi.output(args.scope).apply((s) => JSON.stringify(ecsTasksTrustPolicy(s))), maxSessionDuration: 3600 },
        { parent: this },
      );
      new aws.iam.RolePolicy(`${name}-${suffix}`, { role: r.id, policy: policy.apply((p) => JSON.stringify(p)) }, { parent: this });
      return r;
    };
    const execution = role(
      'execution',
      'lethe: pull the image, write task logs',
      pulumi.output(args.scope).apply((s) => executionPolicy({ ...s, repository: n.repository, logGroups: [n.findLogGroup, n.forgetLogGroup] })),
    );
    const find = role('find', 'lethe find task: Athena queries, job state, scale the forget service', taskScope.apply(findTaskPolicy));
    const forget = role('forget', 'lethe forget worker: rewrite mapped lake objects, consume the deletion queue', taskScope.apply(forgetTaskPolicy));
    const operator = new aws.iam.Policy(
      `${name}-operator`,
      {
        description: `lethe ${n.prefix}: drive jobs with the lethe CLI and console`,
        policy: taskScope.apply((scope) => JSON.stringify(operatorPolicy(scope))),
      },
      { parent: this },
    );
    this.executionRoleArn = execution.arn;
    this.findRoleArn = find.arn;
    this.forgetRoleArn = forget.arn;
    const auditor = new aws.iam.Policy(
      `${name}-auditor`,
      { description: `lethe ${n.prefix}: read deletion reports and job records`, policy: taskScope.apply((scope) => JSON.stringify(auditorPolicy(scope))) },
      { parent: this },
    );
    this.operatorPolicyArn = operator.arn;
    this.auditorPolicyArn = auditor.arn;
    this.registerOutputs({
      executionRoleArn: this.executionRoleArn,
      findRoleArn: this.findRoleArn,
      forgetRoleArn: this.forgetRoleArn,
      operatorPolicyArn: this.operatorPolicyArn,
      auditorPolicyArn: this.auditorPolicyArn,
    });
  }
}

import * as pulumi from '@pulumi/pulumi';
import { Alarms } from './alarms';
import { Athena } from './athena';
import { awsScopeOutput } from './awsScope';
import { Catalog } from './catalog';
import { Fleet } from './fleet';
import { Iam } from './iam';
import { lakeScopeFor } from './lakeScope';
import { Network } from './network';
import { Notifications } from './notifications';
import { Queues } from './queues';
import { CONFIG_KEY } from './resourceNames';
import { LetheStackConfig } from './stackConfig';
import { Storage } from './storage';
import { shellEnvironment, taskEnvironment } from './taskEnvironment';

/** What a stack exports: everything the CLI and the console need to drive it. */
export interface LetheOutputs {
  region: pulumi.Output<string>;
  stateBucket: pulumi.Output<string>;
  configKey: pulumi.Output<string>;
  kmsKeyArn: pulumi.Output<string>;
  deletionQueueUrl: pulumi.Output<string>;
  deadLetterQueueUrl: pulumi.Output<string>;
  athenaWorkgroup: pulumi.Output<string>;
  glueDatabase: pulumi.Output<string>;
  clusterName: pulumi.Output<string>;
  forgetServiceName: pulumi.Output<string>;
  findTaskDefinition: pulumi.Output<string>;
  findTaskDefinitionArn: pulumi.Output<string>;
  subnetIds: pulumi.Output<string[]>;
  securityGroupId: pulumi.Output<string>;
  imageUri: pulumi.Output<string>;
  notificationTopicArn: pulumi.Output<string>;
  /** Attach to the roles of people and pipelines that run `lethe` against this stack. */
  operatorPolicyArn: pulumi.Output<string>;
  /** The task environment as `VAR=value ...`: prefix any `lethe` command with it. */
  letheEnvironment: pulumi.Output<string>;
  /** Starts a job against this stack from a shell with the lethe CLI. */
  letheCommand: pulumi.Output<string>;
  /** Starts the find task directly (what `lethe job start` does in aws mode). */
  runTaskCommand: pulumi.Output<string>;
}

export interface CreateLetheOptions {
  /** Folder with the Dockerfile, relative to where `pulumi` runs. */
  imageContext?: string;
}

/** Declares all of lethe for one stack. Components in dependency order; no resources of its own. */
export function createLethe(config: LetheStackConfig, options: CreateLetheOptions = {}): LetheOutputs {
  const n = config.names;
  const scope = awsScopeOutput();
  const region = scope.region;
  const storage = new Storage(n.prefix, {
    scope,
    retentionDays: config.settings.retentionDays,
    lakeBuckets: config.lakeBuckets,
    forceDestroy: config.forceDestroy,
  });
  const catalog = new Catalog(`${n.prefix}-catalog`, {
    databaseName: n.glueDatabase,
    stateBucketName: storage.stateBucketName,
    kmsKeyArn: storage.keyArn,
    lakeTables: config.lakeTables,
    dataMappers: config.dataMappers,
    settings: config.settings,
  });
  const athena = new Athena(`${n.prefix}-athena`, {
    workgroupName: n.workgroup,
    stateBucketName: storage.stateBucketName,
    kmsKeyArn: storage.keyArn,
    bytesScannedCutoffPerQuery: config.bytesScannedCutoffPerQuery,
    forceDestroy: config.forceDestroy,
  });
  const queues = new Queues(`${n.prefix}-queue`, {
    deletionQueueName: n.deletionQueue,
    deadLetterQueueName: n.deadLetterQueue,
    kmsKeyArn: storage.keyArn,
    maxReceiveCount: config.settings.maxReceiveCount,
    visibilityTimeoutSeconds: config.settings.visibilityTimeoutSeconds,
  });
  const network = new Network(`${n.prefix}-network`, { network: config.network, region });
  const iam = new Iam(`${n.prefix}-iam`, {
    scope,
    names: n,
    lake: lakeScopeFor(config.dataMappers, config.lakeTables),
    stateBucketName: storage.stateBucketName,
    kmsKeyArns: storage.lakeKeyArns,
    manifestsTable: catalog.manifestsTable,
    deletionQueueArn: queues.deletionQueueArn,
    deadLetterQueueArn: queues.deadLetterQueueArn,
  });
  const environment = pulumi
    .all([region, storage.stateBucketName, queues.deletionQueueUrl, queues.deadLetterQueueUrl, athena.workgroupName, catalog.databaseName, catalog.manifestsTable])
    .apply(([r, stateBucket, queueUrl, deadLetterQueueUrl, workgroup, glueDatabase, manifestsTable]) =>
      taskEnvironment({
        region: r,
        stateBucket,
        queueUrl,
        deadLetterQueueUrl,
        workgroup,
        glueDatabase,
        cluster: n.cluster,
        forgetService: n.forgetService,
        findTaskDefinition: n.findFamily,
        manifestsTable,
      }),
    );
  const fleet = new Fleet(`${n.prefix}-fleet`, {
    names: n,
    region,
    kmsKeyArn: storage.keyArn,
    environment,
    executionRoleArn: iam.executionRoleArn,
    findRoleArn: iam.findRoleArn,
    forgetRoleArn: iam.forgetRoleArn,
    subnetIds: network.subnetIds,
    securityGroupId: network.securityGroupId,
    settings: config.settings,
    logRetentionDays: config.logRetentionDays,
    forgetEphemeralStorageGiB: config.forgetEphemeralStorageGiB,
    forceDestroy: config.forceDestroy,
    imageContext: options.imageContext ?? '.',
  });
  const notifications = new Notifications(`${n.prefix}-notify`, {
    scope,
    kmsKeyArn: storage.keyArn,
    clusterArn: fleet.clusterArn,
    findFamily: n.findFamily,
    ruleName: n.jobOutcomeRule,
    ...(config.notificationEmail ? { email: config.notificationEmail } : {}),
  });
  new Alarms(`${n.prefix}-alarms`, {
    topicArn: notifications.topicArn,
    deadLetterQueueName: queues.deadLetterQueueName,
    failedJobRuleName: notifications.failedJobRuleName,
  });
  const letheEnvironment = environment.apply(shellEnvironment);
  return {
    region,
    stateBucket: storage.stateBucketName,
    configKey: pulumi.output(CONFIG_KEY),
    kmsKeyArn: storage.keyArn,
    deletionQueueUrl: queues.deletionQueueUrl,
    deadLetterQueueUrl: queues.deadLetterQueueUrl,
    athenaWorkgroup: athena.workgroupName,
    glueDatabase: catalog.databaseName,
    clusterName: fleet.clusterName,
    forgetServiceName: fleet.forgetServiceName,
    findTaskDefinition: pulumi.output(n.findFamily),
    findTaskDefinitionArn: fleet.findTaskDefinitionArn,
    subnetIds: network.subnetIds,
    securityGroupId: network.securityGroupId,
    imageUri: fleet.imageUri,
    notificationTopicArn: notifications.topicArn,
    operatorPolicyArn: iam.operatorPolicyArn,
    letheEnvironment,
    letheCommand: pulumi.interpolate`env ${letheEnvironment} lethe job start --wait`,
    runTaskCommand: pulumi
      .all([fleet.clusterName, network.subnetIds, network.securityGroupId, region])
      .apply(([cluster, subnets, sg, r]) =>
        [
          `aws ecs run-task --region ${r} --cluster ${cluster} --task-definition ${n.findFamily} --launch-type FARGATE`,
          `--network-configuration 'awsvpcConfiguration={subnets=[${subnets.join(',')}],securityGroups=[${sg}],assignPublicIp=DISABLED}'`,
        ].join(' '),
      ),
  };
}

import * as pulumi from '@pulumi/pulumi';
import { Alarms } from './alarms';
import { Athena } from './athena';
import { awsScopeOutput } from './awsScope';
import { Catalog } from './catalog';
import { FIND_CONTAINER, Fleet } from './fleet';
import { HmacKey } from './hmacKey';
import { JobRequests } from './jobRequests';
import { Iam } from './iam';
import { LakeFormation } from './lakeFormation';
import { MANIFESTS_TABLE } from './glueTables';
import { jobTopicArn } from './iamPolicies';
import { lakeScopeFor } from './lakeScope';
import { Network } from './network';
import { Notifications } from './notifications';
import { Queues } from './queues';
import { CONFIG_KEY } from './resourceNames';
import { LetheStackConfig } from './stackConfig';
import { Storage } from './storage';
import { runTaskCommand } from './runTaskCommand';
import { EnvironmentVariable, shellEnvironment, taskEnvironment } from './taskEnvironment';

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
  /** Attach to auditors' roles: reports and job records only. */
  auditorPolicyArn: pulumi.Output<string>;
  /** The task environment as `VAR=value ...`: prefix any `lethe` command with it. */
  letheEnvironment: pulumi.Output<string>;
  /** Starts a job against this stack from a shell with the lethe CLI. */
  letheCommand: pulumi.Output<string>;
  /** Starts the find task directly, for an administrator holding ecs:RunTask (operators start jobs with a request). */
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
  const hmacKey = new HmacKey(`${n.prefix}-hmac-key`, { parameterName: n.hmacKeyParameter, kmsKeyArn: storage.keyArn });
  const network = new Network(`${n.prefix}-network`, { network: config.network, region });
  const lake = lakeScopeFor(config.dataMappers, config.lakeTables);
  const iam = new Iam(`${n.prefix}-iam`, {
    scope,
    names: n,
    lake,
    lakeFormation: config.lakeFormation,
    stateBucketName: storage.stateBucketName,
    kmsKeyArns: storage.lakeKeyArns,
    letheKeyArn: storage.keyArn,
    manifestsTable: catalog.manifestsTable,
    deletionQueueArn: queues.deletionQueueArn,
    deadLetterQueueArn: queues.deadLetterQueueArn,
  });
  if (config.lakeFormation) {
    new LakeFormation(
      `${n.prefix}-lakeformation`,
      {
        partition: scope.partition,
        findRoleArn: iam.findRoleArn,
        forgetRoleArn: iam.forgetRoleArn,
        tables: [...lake.tables, { database: n.glueDatabase, table: MANIFESTS_TABLE }],
        locations: lake.locations,
      },
      { dependsOn: [catalog] },
    );
  }
  const environment = pulumi
    .all([scope, storage.stateBucketName, queues.deletionQueueUrl, queues.deadLetterQueueUrl, athena.workgroupName, catalog.databaseName, catalog.manifestsTable, hmacKey.parameterName])
    .apply(([s, stateBucket, queueUrl, deadLetterQueueUrl, workgroup, glueDatabase, manifestsTable, hmacKeyParameter]) =>
      taskEnvironment({
        region: s.region,
        stateBucket,
        queueUrl,
        deadLetterQueueUrl,
        athenaWorkGroup: workgroup,
        glueDatabase,
        cluster: n.cluster,
        forgetService: n.forgetService,
        findTaskDefinition: n.findFamily,
        manifestTable: manifestsTable,
        hmacKeyParameter,
        topicArn: jobTopicArn(s, n.jobTopic),
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
  new JobRequests(`${n.prefix}-requests`, {
    scope,
    names: n,
    stateBucketName: storage.stateBucketName,
    clusterArn: fleet.clusterArn,
    findTaskDefinitionArn: fleet.findTaskDefinitionArn,
    findContainer: FIND_CONTAINER,
    findRoleArn: iam.findRoleArn,
    executionRoleArn: iam.executionRoleArn,
    subnetIds: network.subnetIds,
    securityGroupId: network.securityGroupId,
  });
  const notifications = new Notifications(`${n.prefix}-notify`, {
    scope,
    kmsKeyArn: storage.keyArn,
    topicName: n.jobTopic,
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
  return stackOutputs({ config, region, storage, queues, athena, catalog, fleet, network, iam, notifications, environment });
}

interface StackParts {
  config: LetheStackConfig;
  region: pulumi.Output<string>;
  storage: Storage;
  queues: Queues;
  athena: Athena;
  catalog: Catalog;
  fleet: Fleet;
  network: Network;
  iam: Iam;
  notifications: Notifications;
  environment: pulumi.Output<EnvironmentVariable[]>;
}

function stackOutputs(p: StackParts): LetheOutputs {
  const family = p.config.names.findFamily;
  const letheEnvironment = p.environment.apply(shellEnvironment);
  return {
    region: p.region,
    stateBucket: p.storage.stateBucketName,
    configKey: pulumi.output(CONFIG_KEY),
    kmsKeyArn: p.storage.keyArn,
    deletionQueueUrl: p.queues.deletionQueueUrl,
    deadLetterQueueUrl: p.queues.deadLetterQueueUrl,
    athenaWorkgroup: p.athena.workgroupName,
    glueDatabase: p.catalog.databaseName,
    clusterName: p.fleet.clusterName,
    forgetServiceName: p.fleet.forgetServiceName,
    findTaskDefinition: pulumi.output(family),
    findTaskDefinitionArn: p.fleet.findTaskDefinitionArn,
    subnetIds: p.network.subnetIds,
    securityGroupId: p.network.securityGroupId,
    imageUri: p.fleet.imageUri,
    notificationTopicArn: p.notifications.topicArn,
    operatorPolicyArn: p.iam.operatorPolicyArn,
    auditorPolicyArn: p.iam.auditorPolicyArn,
    letheEnvironment,
    letheCommand: pulumi.interpolate`env ${letheEnvironment} lethe job start --wait`,
    runTaskCommand: pulumi
      .all([p.region, p.fleet.clusterName, p.network.subnetIds, p.network.securityGroupId])
      .apply(([region, cluster, subnetIds, securityGroupId]) => runTaskCommand({ region, cluster, family, subnetIds, securityGroupId })),
  };
}

import * as aws from '@pulumi/aws';
import * as awsx from '@pulumi/awsx';
import * as pulumi from '@pulumi/pulumi';
import { Settings } from '../shared/model/settings';
import { containerDefinition } from './containerDefinition';
import { ResourceNames } from './resourceNames';
import { EnvironmentVariable } from './taskEnvironment';
import { FIND_TASK_SIZE, TaskSize, forgetTaskSize } from './taskSize';

export interface FleetArgs {
  names: ResourceNames;
  region: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
  environment: pulumi.Input<EnvironmentVariable[]>;
  executionRoleArn: pulumi.Input<string>;
  findRoleArn: pulumi.Input<string>;
  forgetRoleArn: pulumi.Input<string>;
  subnetIds: pulumi.Input<string[]>;
  securityGroupId: pulumi.Input<string>;
  settings: Settings;
  logRetentionDays: number;
  forgetEphemeralStorageGiB: number;
  forceDestroy: boolean;
  /** Folder holding the Dockerfile, relative to where `pulumi` runs (the project root). */
  imageContext: string;
}

/**
 * The ECS side: one image for both tasks, the cluster, the find task definition (started per job
 * by run-task) and the forget service, which stays at 0 tasks until a job scales it.
 */
export class Fleet extends pulumi.ComponentResource {
  readonly clusterName: pulumi.Output<string>;
  readonly clusterArn: pulumi.Output<string>;
  readonly findTaskDefinitionArn: pulumi.Output<string>;
  readonly forgetTaskDefinitionArn: pulumi.Output<string>;
  readonly forgetServiceName: pulumi.Output<string>;
  readonly imageUri: pulumi.Output<string>;

  constructor(name: string, args: FleetArgs, opts?: pulumi.ComponentResourceOptions) {
    super('lethe:fleet:Fleet', name, {}, opts);
    const parent = { parent: this };
    const n = args.names;
    const repository = new aws.ecr.Repository(
      `${name}-repository`,
      {
        name: n.repository,
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: 'KMS', kmsKey: args.kmsKeyArn }],
        forceDelete: args.forceDestroy,
      },
      parent,
    );
    new aws.ecr.LifecyclePolicy(
      `${name}-repository-lifecycle`,
      {
        repository: repository.name,
        policy: JSON.stringify({ rules: [{ rulePriority: 1, description: 'keep the last 10 images', selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10 }, action: { type: 'expire' } }] }),
      },
      parent,
    );
    const image = new awsx.ecr.Image(
      `${name}-image`,
      { repositoryUrl: repository.repositoryUrl, context: args.imageContext, dockerfile: `${args.imageContext}/Dockerfile`, platform: 'linux/amd64' },
      parent,
    );
    const cluster = new aws.ecs.Cluster(`${name}-cluster`, { name: n.cluster, settings: [{ name: 'containerInsights', value: 'enabled' }] }, parent);
    const logGroup = (suffix: string, logName: string) =>
      new aws.cloudwatch.LogGroup(`${name}-${suffix}-logs`, { name: logName, retentionInDays: args.logRetentionDays, kmsKeyId: args.kmsKeyArn }, parent);
    const findLogs = logGroup('find', n.findLogGroup);
    const forgetLogs = logGroup('forget', n.forgetLogGroup);

    const taskDefinition = (suffix: string, family: string, size: TaskSize, roleArn: pulumi.Input<string>, container: pulumi.Output<string>, storageGiB?: number) =>
      new aws.ecs.TaskDefinition(
        `${name}-${suffix}`,
        {
          family,
          cpu: String(size.cpu),
          memory: String(size.memory),
          networkMode: 'awsvpc',
          requiresCompatibilities: ['FARGATE'],
          runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
          executionRoleArn: args.executionRoleArn,
          taskRoleArn: roleArn,
          volumes: [{ name: 'tmp' }],
          ...(storageGiB ? { ephemeralStorage: { sizeInGib: storageGiB } } : {}),
          containerDefinitions: container,
        },
        parent,
      );
    const containers = (spec: { name: string; entryPoint?: string[]; command: string[]; logGroup: pulumi.Output<string>; stopTimeout: number }) =>
      pulumi.all([image.imageUri, args.environment, args.region, spec.logGroup]).apply(([uri, environment, region, group]) =>
        JSON.stringify([containerDefinition({ ...spec, image: uri, environment, region, logGroup: group })]),
      );
    const find = taskDefinition(
      'find',
      n.findFamily,
      FIND_TASK_SIZE,
      args.findRoleArn,
      containers({ name: 'find', entryPoint: ['node'], command: ['dist/tasks/find.js'], logGroup: findLogs.name, stopTimeout: 30 }),
    );
    const forget = taskDefinition(
      'forget',
      n.forgetFamily,
      forgetTaskSize(args.settings),
      args.forgetRoleArn,
      containers({ name: 'forget', command: ['worker'], logGroup: forgetLogs.name, stopTimeout: 120 }),
      args.forgetEphemeralStorageGiB,
    );
    // Starts at 0: the find task scales it to the work (at most settings.fleetMaxTasks) and back to 0.
    const service = new awsx.ecs.FargateService(
      `${name}-forget-service`,
      {
        name: n.forgetService,
        cluster: cluster.arn,
        taskDefinition: forget.arn,
        desiredCount: 0,
        networkConfiguration: { subnets: args.subnetIds, securityGroups: [args.securityGroupId], assignPublicIp: false },
        deploymentCircuitBreaker: { enable: true, rollback: true },
        propagateTags: 'TASK_DEFINITION',
        enableExecuteCommand: false,
        continueBeforeSteadyState: true,
      },
      parent,
    );
    this.clusterName = cluster.name;
    this.clusterArn = cluster.arn;
    this.findTaskDefinitionArn = find.arn;
    this.forgetTaskDefinitionArn = forget.arn;
    this.forgetServiceName = service.service.name;
    this.imageUri = image.imageUri;
    this.registerOutputs({
      clusterName: this.clusterName,
      clusterArn: this.clusterArn,
      findTaskDefinitionArn: this.findTaskDefinitionArn,
      forgetTaskDefinitionArn: this.forgetTaskDefinitionArn,
      forgetServiceName: this.forgetServiceName,
      imageUri: this.imageUri,
    });
  }
}

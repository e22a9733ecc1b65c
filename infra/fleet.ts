import * as aws from '@pulumi/aws';
import * as awsx from '@pulumi/awsx';
import * as pulumi from '@pulumi/pulumi';
import { Settings } from '../shared/model/settings';
import { ContainerSpec, containerDefinition } from './containerDefinition';
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

/** The find task definition's container: run-task overrides address it by name. */
export const FIND_CONTAINER = 'find';

interface TaskSpec {
  family: string;
  logGroup: string;
  size: TaskSize;
  roleArn: pulumi.Input<string>;
  container: Pick<ContainerSpec, 'name' | 'entryPoint' | 'command' | 'stopTimeout'>;
  ephemeralStorageGiB?: number;
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
    const n = args.names;
    const image = this.buildImage(name, args);
    const cluster = new aws.ecs.Cluster(`${name}-cluster`, { name: n.cluster, settings: [{ name: 'containerInsights', value: 'enabled' }] }, { parent: this });
    const task = (suffix: string, spec: TaskSpec) => this.taskDefinition(`${name}-${suffix}`, args, image.imageUri, spec);
    const find = task('find', {
      family: n.findFamily,
      logGroup: n.findLogGroup,
      size: FIND_TASK_SIZE,
      roleArn: args.findRoleArn,
      container: { name: FIND_CONTAINER, entryPoint: ['node'], command: ['dist/tasks/find.js'], stopTimeout: 30 },
    });
    const forget = task('forget', {
      family: n.forgetFamily,
      logGroup: n.forgetLogGroup,
      size: forgetTaskSize(args.settings),
      roleArn: args.forgetRoleArn,
      container: { name: 'forget', command: ['worker'], stopTimeout: 120 },
      ephemeralStorageGiB: args.forgetEphemeralStorageGiB,
    });
    // Starts at 0: the find task scales it to the work (at most settings.fleetMaxTasks) and back to 0.
    // The coordinator owns the desired count from then on: a later `pulumi up` during a job must not
    // set it back to 0 under the running workers.
    const service = new aws.ecs.Service(
      `${name}-forget-service`,
      {
        name: n.forgetService,
        cluster: cluster.arn,
        taskDefinition: forget.arn,
        desiredCount: 0,
        launchType: 'FARGATE',
        networkConfiguration: { subnets: args.subnetIds, securityGroups: [args.securityGroupId], assignPublicIp: false },
        deploymentCircuitBreaker: { enable: true, rollback: true },
        propagateTags: 'TASK_DEFINITION',
        enableExecuteCommand: false,
        waitForSteadyState: false,
      },
      { parent: this, ignoreChanges: ['desiredCount'] },
    );
    this.clusterName = cluster.name;
    this.clusterArn = cluster.arn;
    this.findTaskDefinitionArn = find.arn;
    this.forgetTaskDefinitionArn = forget.arn;
    this.forgetServiceName = service.name;
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

  /** The stack's ECR repository (KMS, scan on push, last 10 images) and the image built into it. */
  private buildImage(name: string, args: FleetArgs): awsx.ecr.Image {
    const repository = new aws.ecr.Repository(
      `${name}-repository`,
      {
        name: args.names.repository,
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: 'KMS', kmsKey: args.kmsKeyArn }],
        forceDelete: args.forceDestroy,
      },
      { parent: this },
    );
    new aws.ecr.LifecyclePolicy(
      `${name}-repository-lifecycle`,
      {
        repository: repository.name,
        policy: JSON.stringify({ rules: [{ rulePriority: 1, description: 'keep the last 10 images', selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10 }, action: { type: 'expire' } }] }),
      },
      { parent: this },
    );
    return new awsx.ecr.Image(
      `${name}-image`,
      { repositoryUrl: repository.repositoryUrl, context: args.imageContext, dockerfile: `${args.imageContext}/Dockerfile`, platform: 'linux/amd64' },
      { parent: this },
    );
  }

  /** A Fargate task definition with one container and its own log group. */
  private taskDefinition(name: string, args: FleetArgs, imageUri: pulumi.Output<string>, spec: TaskSpec): aws.ecs.TaskDefinition {
    const logs = new aws.cloudwatch.LogGroup(`${name}-logs`, { name: spec.logGroup, retentionInDays: args.logRetentionDays, kmsKeyId: args.kmsKeyArn }, { parent: this });
    const containers = pulumi
      .all([imageUri, args.environment, args.region, logs.name])
      .apply(([image, environment, region, logGroup]) => JSON.stringify([containerDefinition({ ...spec.container, image, environment, region, logGroup })]));
    return new aws.ecs.TaskDefinition(
      name,
      {
        family: spec.family,
        cpu: String(spec.size.cpu),
        memory: String(spec.size.memory),
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
        executionRoleArn: args.executionRoleArn,
        taskRoleArn: spec.roleArn,
        volumes: [{ name: 'tmp' }],
        ...(spec.ephemeralStorageGiB ? { ephemeralStorage: { sizeInGib: spec.ephemeralStorageGiB } } : {}),
        containerDefinitions: containers,
      },
      { parent: this },
    );
  }
}

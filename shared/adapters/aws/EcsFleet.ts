import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, RunTaskCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { LetheError, NotFoundError } from '../../model/errors';
import { Fleet } from '../../ports/Fleet';
import { translateAwsError } from './translateAwsError';

export interface EcsFleetOptions {
  client: ECSClient;
  cluster: string;
  /** The forget workers' ECS service. */
  service: string;
  /** The find (coordinator) task definition, for `startFindTask`. */
  findTaskDefinition?: string;
}

/** The forget workers as an ECS (Fargate) service, scaled by its desired count. */
export class EcsFleet implements Fleet {
  private readonly client: ECSClient;
  private readonly cluster: string;
  private readonly service: string;
  private readonly findTaskDefinition: string | undefined;

  constructor(options: EcsFleetOptions) {
    this.client = options.client;
    this.cluster = options.cluster;
    this.service = options.service;
    this.findTaskDefinition = options.findTaskDefinition;
  }

  async scale(desired: number): Promise<void> {
    const count = Math.max(0, Math.floor(desired));
    await this.call(`UpdateService ${this.service} desiredCount=${count}`, () =>
      this.client.send(new UpdateServiceCommand({ cluster: this.cluster, service: this.service, desiredCount: count })),
    );
  }

  async running(): Promise<number> {
    const service = await this.describe();
    return service.runningCount ?? 0;
  }

  /**
   * Runs the find task for a job (what `lethe job start` does in aws mode), in the forget service's
   * subnets and security groups, so no network settings need to be configured twice. Returns the task ARN.
   */
  async startFindTask(jobId: string): Promise<string> {
    if (!this.findTaskDefinition) throw new LetheError('startFindTask: no find task definition configured (LETHE_FIND_TASK_DEFINITION)');
    const taskDefinition = this.findTaskDefinition;
    const service = await this.describe();
    const network = service.networkConfiguration;
    // The job id goes to the task definition's first container, whatever the infra named it.
    const definition = await this.call(`DescribeTaskDefinition ${taskDefinition}`, () => this.client.send(new DescribeTaskDefinitionCommand({ taskDefinition })));
    const container = definition.taskDefinition?.containerDefinitions?.[0]?.name;
    if (!container) throw new LetheError(`task definition ${taskDefinition} has no container`, { jobId });
    const response = await this.call(`RunTask ${taskDefinition}`, () =>
      this.client.send(
        new RunTaskCommand({
          cluster: this.cluster,
          taskDefinition,
          count: 1,
          launchType: service.launchType ?? 'FARGATE',
          ...(network ? { networkConfiguration: network } : {}),
          startedBy: `lethe-${jobId}`.slice(0, 36),
          overrides: { containerOverrides: [{ name: container, environment: [{ name: 'LETHE_JOB_ID', value: jobId }] }] },
        }),
      ),
    );
    const failure = response.failures?.[0];
    const arn = response.tasks?.[0]?.taskArn;
    if (failure || !arn) throw new LetheError(`RunTask ${taskDefinition} for job ${jobId}: ${failure?.reason ?? 'no task started'}`, { jobId });
    return arn;
  }

  private async describe() {
    const response = await this.call(`DescribeServices ${this.service}`, () =>
      this.client.send(new DescribeServicesCommand({ cluster: this.cluster, services: [this.service] })),
    );
    const service = response.services?.[0];
    if (!service) throw new NotFoundError(`ECS service "${this.service}" not found in cluster "${this.cluster}" (${response.failures?.[0]?.reason ?? 'MISSING'})`);
    return service;
  }

  private async call<T>(what: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw translateAwsError(error, `${what} in cluster ${this.cluster}`);
    }
  }
}

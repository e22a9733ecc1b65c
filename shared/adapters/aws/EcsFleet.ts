import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { NotFoundError } from '../../model/errors';
import { Fleet } from '../../ports/Fleet';
import { translateAwsError } from './translateAwsError';

export interface EcsFleetOptions {
  client: ECSClient;
  cluster: string;
  /** The forget workers' ECS service. */
  service: string;
}

/** The forget workers as an ECS (Fargate) service, scaled by its desired count. */
export class EcsFleet implements Fleet {
  private readonly client: ECSClient;
  private readonly cluster: string;
  private readonly service: string;

  constructor(options: EcsFleetOptions) {
    this.client = options.client;
    this.cluster = options.cluster;
    this.service = options.service;
  }

  async scale(desired: number): Promise<void> {
    const count = Math.max(0, Math.floor(desired));
    await this.call(`UpdateService ${this.service} desiredCount=${count}`, () =>
      this.client.send(new UpdateServiceCommand({ cluster: this.cluster, service: this.service, desiredCount: count })),
    );
  }

  /** ECS supervises the service: a task that stops is replaced by the scheduler, and its deliveries dead-letter after maxReceiveCount. */
  async check(): Promise<void> {}

  async running(): Promise<number> {
    const service = await this.describe();
    return service.runningCount ?? 0;
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

import assert from 'node:assert/strict';
import { CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { EcsFleet } from '../../shared/adapters/aws/EcsFleet';
import { MotoServer, startMotoServer } from '../support/motoServer';

/** A subnet and security group of moto's default VPC, read with raw EC2 query calls (client-ec2 is not a dependency). */
async function defaultNetwork(endpoint: string): Promise<{ subnets: string[]; securityGroups: string[] }> {
  const ec2 = async (action: string, pattern: RegExp) => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: `Action=${action}&Version=2016-11-15`,
    });
    const id = pattern.exec(await response.text())?.[1];
    if (!id) throw new Error(`moto_server ${action} returned nothing`);
    return id;
  };
  return {
    subnets: [await ec2('DescribeSubnets', /<subnetId>(subnet-[0-9a-f]+)<\/subnetId>/)],
    securityGroups: [await ec2('DescribeSecurityGroups', /<groupId>(sg-[0-9a-f]+)<\/groupId>/)],
  };
}

describe('EcsFleet on moto_server', function () {
  this.timeout(60_000);
  let moto: MotoServer;
  let ecs: ECSClient;

  before(async () => {
    moto = await startMotoServer();
    ecs = new ECSClient({});
    await ecs.send(new CreateClusterCommand({ clusterName: 'lethe' }));
    for (const family of ['lethe-forget']) {
      await ecs.send(
        new RegisterTaskDefinitionCommand({
          family,
          requiresCompatibilities: ['FARGATE'],
          networkMode: 'awsvpc',
          cpu: '512',
          memory: '1024',
          containerDefinitions: [{ name: family.replace('lethe-', ''), image: 'lethe:latest', essential: true, memory: 1024 }],
        }),
      );
    }
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'lethe',
        serviceName: 'lethe-forget',
        taskDefinition: 'lethe-forget',
        desiredCount: 0,
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: await defaultNetwork(moto.endpoint) },
      }),
    );
  });

  after(async () => {
    ecs?.destroy();
    await moto?.stop();
  });

  it('scales the forget service by its desired count', async () => {
    const fleet = new EcsFleet({ client: ecs, cluster: 'lethe', service: 'lethe-forget' });
    await fleet.scale(3);
    const described = await ecs.send(new DescribeServicesCommand({ cluster: 'lethe', services: ['lethe-forget'] }));
    assert.equal(described.services?.[0]?.desiredCount, 3);
    // moto reports runningCount = desiredCount once a service is updated.
    assert.equal(await fleet.running(), 3);
    await fleet.scale(0);
    assert.equal(await fleet.running(), 0);
    assert.equal((await ecs.send(new DescribeServicesCommand({ cluster: 'lethe', services: ['lethe-forget'] }))).services?.[0]?.desiredCount, 0);
  });

  it('names a missing service', async () => {
    const fleet = new EcsFleet({ client: ecs, cluster: 'lethe', service: 'nope' });
    await assert.rejects(fleet.running(), { message: /ECS service "nope" not found in cluster "lethe"|nope/ });
  });
});

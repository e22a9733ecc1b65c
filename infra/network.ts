import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { NetworkConfig } from './stackConfig';
import { INTERFACE_ENDPOINT_SERVICES, privateSubnetCidrs } from './subnetCidrs';

export interface NetworkArgs {
  network: NetworkConfig;
  region: pulumi.Input<string>;
}

/**
 * Where the tasks run: the given private subnets, or a new VPC with private subnets only and the
 * endpoints the tasks need (S3 gateway; ECR, logs, SQS, Athena, Glue, ECS, KMS, STS interfaces), so
 * no traffic leaves AWS's network and no NAT gateway is paid for. Tasks get no inbound rule.
 */
export class Network extends pulumi.ComponentResource {
  readonly subnetIds: pulumi.Output<string[]>;
  readonly securityGroupId: pulumi.Output<string>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('lethe:network:Network', name, {}, opts);
    const parent = { parent: this };
    if (args.network.kind === 'existing') {
      const tasks = new aws.ec2.SecurityGroup(
        `${name}-tasks`,
        {
          vpcId: args.network.vpcId,
          description: 'lethe tasks: HTTPS out only',
          egress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: ['0.0.0.0/0'], description: 'AWS APIs over HTTPS' }],
        },
        parent,
      );
      this.subnetIds = pulumi.output(args.network.subnetIds);
      this.securityGroupId = tasks.id;
    } else {
      const { cidrBlock, availabilityZones } = args.network;
      const vpc = new aws.ec2.Vpc(name, { cidrBlock, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: name } }, parent);
      const zones = aws.getAvailabilityZonesOutput({ state: 'available' }, parent);
      const routes = new aws.ec2.RouteTable(`${name}-private`, { vpcId: vpc.id }, parent);
      const subnets = privateSubnetCidrs(cidrBlock, availabilityZones).map((cidr, i) => {
        const subnet = new aws.ec2.Subnet(
          `${name}-private-${i}`,
          { vpcId: vpc.id, cidrBlock: cidr, availabilityZone: zones.names.apply((z) => z[i % z.length]!), mapPublicIpOnLaunch: false },
          parent,
        );
        new aws.ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: subnet.id, routeTableId: routes.id }, parent);
        return subnet;
      });
      const s3 = new aws.ec2.VpcEndpoint(
        `${name}-s3`,
        { vpcId: vpc.id, serviceName: pulumi.interpolate`com.amazonaws.${args.region}.s3`, vpcEndpointType: 'Gateway', routeTableIds: [routes.id] },
        parent,
      );
      const tasks = new aws.ec2.SecurityGroup(
        `${name}-tasks`,
        {
          vpcId: vpc.id,
          description: 'lethe tasks: HTTPS to VPC endpoints and S3 only',
          egress: [
            { protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: [cidrBlock], description: 'interface endpoints' },
            { protocol: 'tcp', fromPort: 443, toPort: 443, prefixListIds: [s3.prefixListId], description: 'S3 gateway endpoint' },
          ],
        },
        parent,
      );
      const endpoints = new aws.ec2.SecurityGroup(
        `${name}-endpoints`,
        {
          vpcId: vpc.id,
          description: 'lethe VPC endpoints: HTTPS from lethe tasks',
          ingress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, securityGroups: [tasks.id], description: 'lethe tasks' }],
        },
        parent,
      );
      for (const service of INTERFACE_ENDPOINT_SERVICES) {
        new aws.ec2.VpcEndpoint(
          `${name}-${service.replace('.', '-')}`,
          {
            vpcId: vpc.id,
            serviceName: pulumi.interpolate`com.amazonaws.${args.region}.${service}`,
            vpcEndpointType: 'Interface',
            privateDnsEnabled: true,
            subnetIds: subnets.map((s) => s.id),
            securityGroupIds: [endpoints.id],
          },
          parent,
        );
      }
      this.subnetIds = pulumi.all(subnets.map((s) => s.id));
      this.securityGroupId = tasks.id;
    }
    this.registerOutputs({ subnetIds: this.subnetIds, securityGroupId: this.securityGroupId });
  }
}

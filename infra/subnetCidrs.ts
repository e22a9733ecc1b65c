import { InputError } from '../shared/model/errors';

/** Splits a VPC block into `count` equal private subnets, each 4 bits longer (a /16 gives /20s). */
export function privateSubnetCidrs(vpcCidr: string, count: number): string[] {
  const [address, bitsText] = vpcCidr.split('/');
  const bits = Number(bitsText);
  const octets = (address ?? '').split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255) || !(bits >= 8 && bits <= 24)) {
    throw new InputError(`network.create.cidrBlock: "${vpcCidr}" is not an IPv4 CIDR from /8 to /24`);
  }
  const subnetBits = bits + 4;
  if (count > 16) throw new InputError(`network: at most 16 subnets fit a /${bits} split into /${subnetBits}`);
  const base = octets.reduce((n, o) => n * 256 + o, 0) >>> 0;
  const network = bits === 0 ? 0 : (base & (~0 << (32 - bits))) >>> 0;
  const size = 2 ** (32 - subnetBits);
  return Array.from({ length: count }, (_, i) => {
    const start = network + i * size;
    return `${[24, 16, 8, 0].map((shift) => Math.floor(start / 2 ** shift) % 256).join('.')}/${subnetBits}`;
  });
}

/** Endpoints the tasks reach AWS through when lethe creates a private network without NAT. */
export const INTERFACE_ENDPOINT_SERVICES = ['ecr.api', 'ecr.dkr', 'logs', 'sqs', 'athena', 'glue', 'ecs', 'kms', 'sts'] as const;

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { parse as parseYaml } from 'yaml';
import { isRecord } from '../../shared/model/fields';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const ROOT = path.resolve(__dirname, '../..');
export const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/** One resource the program registered, with the inputs it sent (mocks pass inputs as plain values). */
export interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  custom: boolean;
  /** The ignoreChanges resource option (empty unless the mocks were installed with `install`). */
  ignoreChanges: string[];
  /** The retainOnDelete resource option: `pulumi destroy` leaves the resource (false unless installed with `install`). */
  retainOnDelete: boolean;
}

const service = (type: string) => type.split(':')[1]!.split('/')[0]!;

/** Provider state a real deploy would return for the outputs the program reads (arn, url, name...). */
function stateFor(type: string, name: string, inputs: Record<string, unknown>): { id: string; state: Record<string, unknown> } {
  const physical = typeof inputs.name === 'string' ? inputs.name : name;
  const regional = (resource: string) => `arn:aws:${service(type)}:${REGION}:${ACCOUNT}:${resource}`;
  switch (type) {
    case 'aws:s3/bucket:Bucket': {
      const bucket = typeof inputs.bucket === 'string' ? inputs.bucket : `${name}-0a1b2c3`;
      return { id: bucket, state: { ...inputs, bucket, arn: `arn:aws:s3:::${bucket}` } };
    }
    case 'aws:sqs/queue:Queue': {
      const url = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${physical}`;
      return { id: url, state: { ...inputs, name: physical, url, arn: regional(physical) } };
    }
    case 'aws:kms/key:Key':
      return { id: 'k-1', state: { ...inputs, keyId: KEY_ARN.split('/')[1], arn: KEY_ARN } };
    case 'aws:ecr/repository:Repository':
      return { id: physical, state: { ...inputs, name: physical, arn: regional(`repository/${physical}`), repositoryUrl: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${physical}` } };
    case 'awsx:ecr:Image':
      return { id: '', state: { imageUri: `${String(inputs.repositoryUrl)}@sha256:${'0'.repeat(64)}` } };
    case 'aws:ecs/taskDefinition:TaskDefinition':
      return { id: String(inputs.family), state: { ...inputs, arn: regional(`task-definition/${String(inputs.family)}:1`) } };
    case 'aws:iam/role:Role':
      return { id: physical, state: { ...inputs, name: physical, arn: `arn:aws:iam::${ACCOUNT}:role/${physical}` } };
    case 'aws:ecs/cluster:Cluster':
      return { id: physical, state: { ...inputs, name: physical, arn: regional(`cluster/${physical}`) } };
    case 'aws:cloudwatch/logGroup:LogGroup':
      return { id: physical, state: { ...inputs, name: physical, arn: regional(`log-group:${physical}`) } };
    case 'aws:ec2/vpcEndpoint:VpcEndpoint':
      return { id: `vpce-${name}`, state: { ...inputs, prefixListId: 'pl-6da54004' } };
    case 'aws:ec2/subnet:Subnet':
      return { id: `subnet-${name}`, state: { ...inputs, arn: regional(`subnet/subnet-${name}`) } };
    case 'aws:ec2/securityGroup:SecurityGroup':
      return { id: `sg-${name}`, state: { ...inputs, arn: regional(`security-group/sg-${name}`) } };
    default:
      return { id: `${name}-id`, state: { ...inputs, name: physical, arn: regional(physical) } };
  }
}

/** The part of the engine's RegisterResourceRequest the recorder reads. */
interface EngineRequest {
  getType(): string;
  getName(): string;
  getIgnorechangesList(): string[];
  getRetainondelete(): boolean;
}

/** Mocks that record every registration and answer the data sources the program calls. */
export class RecordingMocks implements pulumi.runtime.Mocks {
  readonly registrations: Registration[] = [];
  /** ignoreChanges per `type name`, read off the engine request before newResource sees its inputs. */
  private readonly ignoredChanges = new Map<string, string[]>();
  private readonly retained = new Set<string>();

  /**
   * setMocks, then records what newResource is not given: Pulumi's mock monitor drops the resource
   * options, so its registerResource is wrapped to read ignoreChanges and retainOnDelete off the request.
   */
  async install(project: string, stack: string): Promise<void> {
    await pulumi.runtime.setMocks(this, project, stack, false);
    const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: (req: EngineRequest, callback: unknown) => unknown } | undefined;
    if (!monitor) throw new Error('setMocks installed no monitor');
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
      this.ignoredChanges.set(`${req.getType()} ${req.getName()}`, req.getIgnorechangesList());
      if (req.getRetainondelete()) this.retained.add(`${req.getType()} ${req.getName()}`);
      return register(req, callback);
    };
  }

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const inputs: Record<string, unknown> = isRecord(args.inputs) ? args.inputs : {};
    const ignoreChanges = this.ignoredChanges.get(`${args.type} ${args.name}`) ?? [];
    const retainOnDelete = this.retained.has(`${args.type} ${args.name}`);
    this.registrations.push({ type: args.type, name: args.name, inputs, custom: args.custom ?? true, ignoreChanges, retainOnDelete });
    return stateFor(args.type, args.name, inputs);
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    switch (args.token) {
      case 'aws:index/getCallerIdentity:getCallerIdentity':
        return { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/deployer`, userId: 'AIDEXAMPLE', id: ACCOUNT };
      case 'aws:index/getPartition:getPartition':
        return { partition: 'aws', dnsSuffix: 'amazonaws.com', id: 'aws' };
      case 'aws:index/getRegion:getRegion':
        return { region: REGION, name: REGION, id: REGION };
      case 'aws:index/getAvailabilityZones:getAvailabilityZones':
        return { names: [`${REGION}a`, `${REGION}b`, `${REGION}c`], zoneIds: ['euw1-az1', 'euw1-az2', 'euw1-az3'], id: REGION };
      default:
        throw new Error(`unmocked call ${args.token}`);
    }
  }

  ofType(type: string): Registration[] {
    return this.registrations.filter((r) => r.type === type);
  }

  one(type: string, match: (r: Registration) => boolean = () => true): Registration {
    const found = this.ofType(type).filter(match);
    if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
    return found[0]!;
  }
}

/** Resolves an Output under mocks. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

/** Waits until no registration arrives for a while: children of components register asynchronously. */
export async function settled(mocks: RecordingMocks): Promise<void> {
  let last = -1;
  let quiet = 0;
  for (let i = 0; i < 400 && quiet < 5; i++) {
    await new Promise((r) => setTimeout(r, 10));
    quiet = mocks.registrations.length === last ? quiet + 1 : 0;
    last = mocks.registrations.length;
  }
}

/** The `lethe:*` keys of a stack file, without the namespace. */
export function stackConfigFromFile(file: string): Record<string, unknown> {
  const doc: unknown = parseYaml(fs.readFileSync(path.join(ROOT, file), 'utf8'));
  if (!isRecord(doc) || !isRecord(doc.config)) throw new Error(`${file}: no config section`);
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc.config)) if (key.startsWith('lethe:')) raw[key.slice('lethe:'.length)] = value;
  return raw;
}

/** A stack file's whole config as the engine hands it to a program: `ns:key` -> string (objects as JSON). */
export function engineConfigFromFile(file: string): Record<string, string> {
  const doc: unknown = parseYaml(fs.readFileSync(path.join(ROOT, file), 'utf8'));
  if (!isRecord(doc) || !isRecord(doc.config)) throw new Error(`${file}: no config section`);
  return Object.fromEntries(Object.entries(doc.config).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

export function parseJson(text: unknown, where: string): unknown {
  if (typeof text !== 'string') throw new Error(`${where}: expected JSON text, got ${typeof text}`);
  return JSON.parse(text);
}

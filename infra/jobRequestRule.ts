import { FIND_RUN_ENVIRONMENT } from '../shared/environment/awsEnvironment';
import { AwsScope, PolicyDocument, policyDocument } from './policyDocument';
import { STATE_PREFIXES } from './resourceNames';

/** An object created under requests/ in the state bucket (S3 sends its events to EventBridge). */
export function jobRequestPattern(stateBucket: string): string {
  return JSON.stringify({
    source: ['aws.s3'],
    'detail-type': ['Object Created'],
    detail: { bucket: { name: [stateBucket] }, object: { key: [{ prefix: STATE_PREFIXES.requests }] } },
  });
}

/**
 * The run-task overrides the rule sends: only the request's key, in one environment variable of the
 * find container. The find task reads the job id from that object, so what runs is the task
 * definition as deployed, whoever wrote the request.
 */
export function jobRequestInputTransformer(container: string): { inputPaths: Record<string, string>; inputTemplate: string } {
  return {
    inputPaths: { key: '$.detail.object.key' },
    // <key> unquoted: EventBridge inserts a string path value as a JSON string.
    inputTemplate: `{"containerOverrides":[{"name":${JSON.stringify(container)},"environment":[{"name":${JSON.stringify(FIND_RUN_ENVIRONMENT.requestKey.name)},"value":<key>}]}]}`,
  };
}

/** Only EventBridge rules of this account may assume the role that runs the find task. */
export function eventsTrustPolicy(s: AwsScope): PolicyDocument {
  return policyDocument([
    {
      Sid: 'EventBridgeOfThisAccount',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['sts:AssumeRole'],
      Condition: { StringEquals: { 'aws:SourceAccount': s.accountId } },
    },
  ]);
}

export interface RunFindTaskScope extends AwsScope {
  cluster: string;
  findFamily: string;
  /** The find task role and the execution role, which RunTask hands to ECS. */
  passRoleArns: string[];
}

/** The rule's role: run the find task definition in lethe's cluster, and pass its two roles to ECS. */
export function runFindTaskPolicy(s: RunFindTaskScope): PolicyDocument {
  const ecs = `arn:${s.partition}:ecs:${s.region}:${s.accountId}`;
  return policyDocument([
    {
      Sid: 'RunFindTask',
      Effect: 'Allow',
      Action: ['ecs:RunTask'],
      Resource: [`${ecs}:task-definition/${s.findFamily}:*`],
      Condition: { ArnEquals: { 'ecs:cluster': `${ecs}:cluster/${s.cluster}` } },
    },
    {
      Sid: 'PassFindTaskRoles',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: s.passRoleArns,
      Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    },
  ]);
}

import { PolicyDocument, policyDocument } from './policyDocument';

/** Only this account's job rules and alarms publish to the topic, and only over TLS. */
export function jobTopicPolicy(topicArn: string, accountId: string, ruleArns: string[]): PolicyDocument {
  return policyDocument([
    {
      Sid: 'JobRulesPublish',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['sns:Publish'],
      Resource: [topicArn],
      Condition: { ArnEquals: { 'aws:SourceArn': ruleArns } },
    },
    {
      Sid: 'AlarmsPublish',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['sns:Publish'],
      Resource: [topicArn],
      Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
    },
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: ['sns:Publish', 'sns:Subscribe'],
      Resource: [topicArn],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ]);
}

/**
 * EventBridge pattern for a find task (one job) stopping. The find task's exit code is the job's
 * outcome, as for `lethe job start --wait`: 0 COMPLETED, 1 bad input, 2 any other terminal status.
 */
export function jobStoppedPattern(clusterArn: string, findFamily: string, failedOnly: boolean): string {
  return JSON.stringify({
    source: ['aws.ecs'],
    'detail-type': ['ECS Task State Change'],
    detail: {
      clusterArn: [clusterArn],
      group: [`family:${findFamily}`],
      lastStatus: ['STOPPED'],
      ...(failedOnly ? { containers: { exitCode: [{ 'anything-but': 0 }] } } : {}),
    },
  });
}

import { AwsScope, PolicyDocument, policyDocument } from './policyDocument';

/**
 * Policy of lethe's customer-managed key. In a key policy Resource "*" means this key. Administration
 * is listed action by action (no kms:*) and left to the account's IAM; CloudWatch Logs, EventBridge
 * and CloudWatch alarms get only what they need to write encrypted log groups and SNS messages.
 */
export function letheKeyPolicy(s: AwsScope): PolicyDocument {
  const account = `arn:${s.partition}:iam::${s.accountId}:root`;
  return policyDocument([
    {
      Sid: 'AccountAdministersKey',
      Effect: 'Allow',
      Principal: { AWS: account },
      Action: [
        'kms:CancelKeyDeletion',
        'kms:CreateAlias',
        'kms:CreateGrant',
        'kms:Decrypt',
        'kms:DeleteAlias',
        'kms:DescribeKey',
        'kms:DisableKey',
        'kms:EnableKey',
        'kms:EnableKeyRotation',
        'kms:Encrypt',
        'kms:GenerateDataKey',
        'kms:GetKeyPolicy',
        'kms:GetKeyRotationStatus',
        'kms:ListGrants',
        'kms:ListResourceTags',
        'kms:PutKeyPolicy',
        'kms:ReEncryptFrom',
        'kms:ReEncryptTo',
        'kms:RetireGrant',
        'kms:RevokeGrant',
        'kms:ScheduleKeyDeletion',
        'kms:TagResource',
        'kms:UntagResource',
        'kms:UpdateAlias',
        'kms:UpdateKeyDescription',
      ],
      Resource: ['*'],
    },
    {
      Sid: 'LogsEncryptLetheLogGroups',
      Effect: 'Allow',
      Principal: { Service: `logs.${s.region}.amazonaws.com` },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      Resource: ['*'],
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${s.partition}:logs:${s.region}:${s.accountId}:log-group:/lethe/*` } },
    },
    {
      Sid: 'EventsAndAlarmsPublishToTopic',
      Effect: 'Allow',
      Principal: { Service: ['events.amazonaws.com', 'cloudwatch.amazonaws.com'] },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: ['*'],
      Condition: { StringEquals: { 'aws:SourceAccount': s.accountId } },
    },
  ]);
}

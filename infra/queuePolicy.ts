import { PolicyDocument, policyDocument } from './policyDocument';

/** Every lethe queue refuses requests that do not come over TLS. */
export function tlsOnlyQueuePolicy(queueArn: string): PolicyDocument {
  return policyDocument([
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'],
      Resource: [queueArn],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ]);
}

import { PolicyDocument, policyDocument } from './policyDocument';

/**
 * Every lethe bucket: TLS only, and no object written with other encryption than SSE-KMS under
 * `kmsKeyArn`. Requests that send no encryption header pass: the bucket default (that key) applies.
 */
export function secureBucketPolicy(bucketArn: string, kmsKeyArn: string): PolicyDocument {
  return policyDocument([
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket', 's3:GetObjectVersion', 's3:DeleteObjectVersion', 's3:ListBucketVersions'],
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
    {
      Sid: 'DenyOtherEncryption',
      Effect: 'Deny',
      Principal: '*',
      Action: ['s3:PutObject'],
      Resource: [`${bucketArn}/*`],
      Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
    },
    {
      Sid: 'DenyOtherKey',
      Effect: 'Deny',
      Principal: '*',
      Action: ['s3:PutObject'],
      Resource: [`${bucketArn}/*`],
      Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption-aws-kms-key-id': kmsKeyArn } },
    },
  ]);
}

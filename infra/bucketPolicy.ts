import { PolicyDocument, policyDocument } from './policyDocument';

const ENCRYPTION = 's3:x-amz-server-side-encryption';
const KEY_ID = 's3:x-amz-server-side-encryption-aws-kms-key-id';

/**
 * Every lethe bucket: TLS only, and no object written with other encryption than SSE-KMS under
 * `kmsKeyArn`. Requests that send no encryption header pass: the bucket default (that key) applies.
 * The denies apply only when the header is present (Null "false"): a negated operator is true for a
 * missing key, so StringNotEqualsIfExists alone refused every write that relied on the default.
 * A request that asks for aws:kms without naming a key is refused: S3 would use aws/s3, not this key.
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
      Condition: { StringNotEquals: { [ENCRYPTION]: 'aws:kms' }, Null: { [ENCRYPTION]: 'false' } },
    },
    {
      Sid: 'DenyOtherKey',
      Effect: 'Deny',
      Principal: '*',
      Action: ['s3:PutObject'],
      Resource: [`${bucketArn}/*`],
      Condition: { StringNotEquals: { [KEY_ID]: kmsKeyArn }, Null: { [ENCRYPTION]: 'false' } },
    },
  ]);
}

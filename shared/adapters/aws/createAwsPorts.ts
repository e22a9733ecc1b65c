import { tmpdir } from 'node:os';
import { AthenaClient } from '@aws-sdk/client-athena';
import { ECSClient } from '@aws-sdk/client-ecs';
import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { Ports } from '../../ports/Ports';
import { AthenaQueryExecutor } from './AthenaQueryExecutor';
import { EcsFleet } from './EcsFleet';
import { GlueCatalog } from './GlueCatalog';
import { S3ObjectStore } from './S3ObjectStore';
import { S3StateStore } from './S3StateStore';
import { SnsNotifier } from './SnsNotifier';
import { SqsWorkQueue } from './SqsWorkQueue';
import { readSsmHmacKey } from './readSsmHmacKey';
import { AwsEnv, parseAwsEnv, stateStoreLocation } from '../../environment/awsEnvironment';

export interface AwsPorts extends Ports {
  lake: S3ObjectStore;
  state: S3StateStore;
  queue: SqsWorkQueue;
  queries: AthenaQueryExecutor;
  catalog: GlueCatalog;
  fleet: EcsFleet;
  notifier: SnsNotifier;
  config: AwsEnv;
  /** The HMAC key from the stack's SSM parameter (LETHE_HMAC_KEY_PARAMETER). */
  readHmacKey(): Promise<Buffer>;
}

/**
 * Builds the aws-mode ports from the environment. The SDK reads credentials, region and
 * AWS_ENDPOINT_URL itself; with an endpoint override (moto in tests) S3 uses path-style URLs.
 */
export function createAwsPorts(env: Readonly<Record<string, string | undefined>> = process.env): AwsPorts {
  const config = parseAwsEnv(env);
  const common = config.region ? { region: config.region } : {};
  const s3 = new S3Client({ ...common, forcePathStyle: config.endpointUrl !== undefined });
  const glue = new GlueClient(common);
  const stateStore = stateStoreLocation(config.stateBucket);
  return {
    lake: new S3ObjectStore({ client: s3 }),
    state: new S3StateStore({ client: s3, ...stateStore }),
    queue: new SqsWorkQueue({ client: new SQSClient(common), queueUrl: config.queueUrl, deadLetterQueueUrl: config.deadLetterQueueUrl }),
    queries: new AthenaQueryExecutor({
      client: new AthenaClient(common),
      glue,
      workGroup: config.athenaWorkGroup,
      manifestDatabase: config.glueDatabase,
      manifestTable: config.manifestTable,
    }),
    catalog: new GlueCatalog({ client: glue }),
    fleet: new EcsFleet({ client: new ECSClient(common), cluster: config.cluster, service: config.forgetService }),
    notifier: new SnsNotifier({ client: new SNSClient(common), topicArn: config.topicArn }),
    tempDirectory: config.tempDirectory ?? tmpdir(),
    config,
    readHmacKey: () => readSsmHmacKey(new SSMClient(common), config.hmacKeyParameter),
  };
}

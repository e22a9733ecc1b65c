import { AthenaClient, CreateWorkGroupCommand } from '@aws-sdk/client-athena';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { MotoServer } from './motoServer';

export interface LetheAwsStackOptions {
  /** An existing bucket: it gets the config, the Athena results and the job state. */
  stateBucket: string;
  /** Prefix of the queue names, so two stacks can share one moto. */
  queueName: string;
  /** The queue's redrive after this many receives. */
  maxReceiveCount: number;
  /** lethe's config (mappers and settings), written where the Pulumi program writes it. */
  config: unknown;
  /** LETHE_TEMP_DIR for the tasks. */
  work: string;
}

/** The HMAC key the test stacks keep in SSM, as hex (what `pulumi up` generates). */
export const TEST_HMAC_KEY_HEX = 'ab'.repeat(32);
export const TEST_HMAC_KEY_PARAMETER = '/lethe/test/hmac-key';

/** The stack's HMAC key parameter, a SecureString as infra/hmacKey.ts declares it. */
export async function putHmacKeyParameter(name = TEST_HMAC_KEY_PARAMETER, hex = TEST_HMAC_KEY_HEX): Promise<void> {
  const ssm = new SSMClient({});
  try {
    await ssm.send(new PutParameterCommand({ Name: name, Type: 'SecureString', Value: hex, Overwrite: true }));
  } finally {
    ssm.destroy();
  }
}

/**
 * What the Pulumi program would leave for the tasks on moto: the Athena workgroup, the work queue and
 * its dead-letter queue, the HMAC key parameter, the config in the state bucket; returns the task environment. The lake
 * (buckets, objects, Glue tables) is each test's own.
 */
export async function provisionLetheAws(moto: MotoServer, s3: S3Client, options: LetheAwsStackOptions): Promise<NodeJS.ProcessEnv> {
  const athena = new AthenaClient({});
  await athena.send(new CreateWorkGroupCommand({ Name: 'lethe', Configuration: { ResultConfiguration: { OutputLocation: `s3://${options.stateBucket}/athena/` } } }));
  athena.destroy();
  const sqs = new SQSClient({});
  const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${options.queueName}-dlq` }))).QueueUrl!;
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const redrivePolicy = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: options.maxReceiveCount });
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: options.queueName, Attributes: { RedrivePolicy: redrivePolicy } }))).QueueUrl!;
  sqs.destroy();
  await putHmacKeyParameter();
  await s3.send(new PutObjectCommand({ Bucket: options.stateBucket, Key: 'config/lethe.json', Body: JSON.stringify(options.config) }));
  return {
    ...process.env,
    LETHE_MODE: 'aws',
    LETHE_STATE_BUCKET: options.stateBucket,
    LETHE_QUEUE_URL: queueUrl,
    LETHE_DLQ_URL: dlqUrl,
    LETHE_ATHENA_WORKGROUP: 'lethe',
    LETHE_GLUE_DATABASE: 'lethe',
    LETHE_CLUSTER: 'lethe',
    LETHE_FORGET_SERVICE: 'lethe-forget',
    LETHE_FIND_TASK_DEFINITION: 'lethe-find',
    LETHE_HMAC_KEY_PARAMETER: TEST_HMAC_KEY_PARAMETER,
    LETHE_TEMP_DIR: options.work,
    AWS_ENDPOINT_URL: moto.endpoint,
  };
}

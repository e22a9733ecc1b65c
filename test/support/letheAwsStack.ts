import { AthenaClient, CreateWorkGroupCommand } from '@aws-sdk/client-athena';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
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

/** The queue the tests subscribe to the job topic, to read what lethe published as an e-mail reader would. */
const NOTIFICATION_QUEUE = 'lethe-notifications';

/** The stack's job topic, with a queue subscribed to it; returns the topic ARN. */
export async function createJobTopic(name = 'lethe-jobs'): Promise<string> {
  const sns = new SNSClient({});
  const sqs = new SQSClient({});
  try {
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: name }))).TopicArn!;
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: NOTIFICATION_QUEUE }))).QueueUrl!;
    const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn }));
    return topicArn;
  } finally {
    sns.destroy();
    sqs.destroy();
  }
}

export interface PublishedNotification {
  subject: string;
  text: string;
  attributes: Record<string, string>;
}

/** Takes every notification published since the last call, in the SNS envelope an SQS subscriber gets. */
export async function takeNotifications(): Promise<PublishedNotification[]> {
  const sqs = new SQSClient({});
  try {
    const queueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: NOTIFICATION_QUEUE }))).QueueUrl!;
    const taken: PublishedNotification[] = [];
    for (;;) {
      const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      if (!received.Messages?.length) return taken;
      for (const message of received.Messages) {
        const envelope = JSON.parse(message.Body!) as { Subject: string; Message: string; MessageAttributes?: Record<string, { Value: string }> };
        const attributes = Object.fromEntries(Object.entries(envelope.MessageAttributes ?? {}).map(([name, a]) => [name, a.Value]));
        taken.push({ subject: envelope.Subject, text: envelope.Message, attributes });
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
      }
    }
  } finally {
    sqs.destroy();
  }
}

/**
 * What the Pulumi program would leave for the tasks on moto: the Athena workgroup, the work queue and
 * its dead-letter queue, the HMAC key parameter, the job topic, the config in the state bucket; returns the task environment. The lake
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
  const topicArn = await createJobTopic();
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
    LETHE_TOPIC_ARN: topicArn,
    LETHE_TEMP_DIR: options.work,
    AWS_ENDPOINT_URL: moto.endpoint,
  };
}

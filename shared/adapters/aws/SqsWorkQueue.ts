import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  Message,
  QueueAttributeName,
  ReceiveMessageCommand,
  SQSClient,
  SendMessageBatchCommand,
  SendMessageBatchRequestEntry,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { InputError, LetheError, TransientError } from '../../model/errors';
import { WorkMessage, parseWorkMessage } from '../../model/workMessage';
import { QueueDepth, ReceivedWork, WorkQueue } from '../../ports/WorkQueue';
import { translateAwsError } from './translateAwsError';

export interface SqsWorkQueueOptions {
  client: SQSClient;
  queueUrl: string;
  /** The queue's redrive target: where SQS moves a message after maxReceiveCount deliveries. */
  deadLetterQueueUrl: string;
}

/** SQS limits: 10 messages per batch call, 20 s of long polling, 12 h of visibility. */
const BATCH = 10;
const MAX_WAIT_SECONDS = 20;
const MAX_VISIBILITY_SECONDS = 43_200;
const SEND_ATTEMPTS = 5;

/** The deletion work queue on SQS, with its dead-letter queue. Bodies are parsed where they enter. */
export class SqsWorkQueue implements WorkQueue {
  private readonly client: SQSClient;
  private readonly queueUrl: string;
  private readonly deadLetterQueueUrl: string;

  constructor(options: SqsWorkQueueOptions) {
    this.client = options.client;
    this.queueUrl = options.queueUrl;
    this.deadLetterQueueUrl = options.deadLetterQueueUrl;
  }

  async send(messages: WorkMessage[]): Promise<void> {
    for (let i = 0; i < messages.length; i += BATCH) {
      const entries = messages.slice(i, i + BATCH).map((message, j) => ({ Id: String(j), MessageBody: JSON.stringify(parseWorkMessage(message)) }));
      await this.sendBatch(entries);
    }
  }

  async receive(options: { max: number; visibilitySeconds: number; waitSeconds: number }): Promise<ReceivedWork[]> {
    const response = await this.call('ReceiveMessage', this.queueUrl, () =>
      this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: this.queueUrl,
          MaxNumberOfMessages: clamp(options.max, 1, BATCH),
          VisibilityTimeout: clamp(options.visibilitySeconds, 0, MAX_VISIBILITY_SECONDS),
          WaitTimeSeconds: clamp(options.waitSeconds, 0, MAX_WAIT_SECONDS),
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      ),
    );
    const received: ReceivedWork[] = [];
    for (const message of response.Messages ?? []) {
      const receipt = message.ReceiptHandle;
      if (!receipt) continue;
      const work = parseBody(message);
      if (work instanceof InputError) {
        await this.moveToDeadLetters(message.Body ?? '', receipt);
        continue;
      }
      received.push({ message: work, receipt, receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? '1') || 1 });
    }
    return received;
  }

  async setVisibility(receipt: string, seconds: number): Promise<void> {
    await this.call('ChangeMessageVisibility', this.queueUrl, () =>
      this.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receipt, VisibilityTimeout: clamp(seconds, 0, MAX_VISIBILITY_SECONDS) })),
    );
  }

  async ack(receipt: string): Promise<void> {
    await this.call('DeleteMessage', this.queueUrl, () => this.client.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receipt })));
  }

  async depth(): Promise<QueueDepth> {
    const [main, dead] = await Promise.all([this.attributes(this.queueUrl), this.attributes(this.deadLetterQueueUrl)]);
    return {
      visible: main.ApproximateNumberOfMessages + main.ApproximateNumberOfMessagesDelayed,
      inFlight: main.ApproximateNumberOfMessagesNotVisible,
      deadLettered: dead.ApproximateNumberOfMessages + dead.ApproximateNumberOfMessagesNotVisible + dead.ApproximateNumberOfMessagesDelayed,
    };
  }

  /**
   * Receives the dead-letter queue until it answers empty, deleting and returning every work
   * message. A body that is not a work message stays there (hidden for a while) for a person to read.
   */
  async drainDeadLetters(): Promise<WorkMessage[]> {
    const drained: WorkMessage[] = [];
    for (;;) {
      const response = await this.call('ReceiveMessage', this.deadLetterQueueUrl, () =>
        this.client.send(new ReceiveMessageCommand({ QueueUrl: this.deadLetterQueueUrl, MaxNumberOfMessages: BATCH, VisibilityTimeout: 300, WaitTimeSeconds: 1 })),
      );
      const messages = response.Messages ?? [];
      if (messages.length === 0) return drained;
      for (const message of messages) {
        const work = parseBody(message);
        if (work instanceof InputError || !message.ReceiptHandle) continue;
        const receipt = message.ReceiptHandle;
        await this.call('DeleteMessage', this.deadLetterQueueUrl, () => this.client.send(new DeleteMessageCommand({ QueueUrl: this.deadLetterQueueUrl, ReceiptHandle: receipt })));
        drained.push(work);
      }
    }
  }

  /** Retries the entries SQS failed for its own reasons; a sender fault is a bug and throws at once. */
  private async sendBatch(entries: SendMessageBatchRequestEntry[]): Promise<void> {
    let pending = entries;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const batch = pending;
      const result = await this.call('SendMessageBatch', this.queueUrl, () => this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: batch })));
      const failed = result.Failed ?? [];
      const senderFault = failed.find((f) => f.SenderFault);
      if (senderFault) throw new InputError(`SendMessageBatch ${this.queueUrl}: message rejected (${senderFault.Code}: ${senderFault.Message ?? ''})`);
      if (failed.length > 0 && attempt >= SEND_ATTEMPTS) {
        throw new TransientError(`SendMessageBatch ${this.queueUrl}: ${failed.length} messages not sent after ${attempt} attempts (${failed[0]!.Code})`);
      }
      const failedIds = new Set(failed.map((f) => f.Id));
      pending = batch.filter((entry) => failedIds.has(entry.Id));
      if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  }

  async quarantine(work: ReceivedWork): Promise<void> {
    await this.moveToDeadLetters(JSON.stringify(work.message), work.receipt);
  }

  /** A body lethe did not write, or one that does not fit its job, would loop until maxReceiveCount: move it to the DLQ now. */
  private async moveToDeadLetters(body: string, receipt: string): Promise<void> {
    await this.call('SendMessage', this.deadLetterQueueUrl, () => this.client.send(new SendMessageCommand({ QueueUrl: this.deadLetterQueueUrl, MessageBody: body })));
    await this.call('DeleteMessage', this.queueUrl, () => this.client.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receipt })));
  }

  private async attributes(queueUrl: string): Promise<Record<'ApproximateNumberOfMessages' | 'ApproximateNumberOfMessagesNotVisible' | 'ApproximateNumberOfMessagesDelayed', number>> {
    const response = await this.call('GetQueueAttributes', queueUrl, () =>
      this.client.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
        }),
      ),
    );
    const read = (name: QueueAttributeName) => Number(response.Attributes?.[name] ?? '0') || 0;
    return {
      ApproximateNumberOfMessages: read('ApproximateNumberOfMessages'),
      ApproximateNumberOfMessagesNotVisible: read('ApproximateNumberOfMessagesNotVisible'),
      ApproximateNumberOfMessagesDelayed: read('ApproximateNumberOfMessagesDelayed'),
    };
  }

  private async call<T>(what: string, queueUrl: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw translateAwsError(error, `${what} ${queueUrl}`);
    }
  }
}

function parseBody(message: Message): WorkMessage | InputError {
  try {
    return parseWorkMessage(JSON.parse(message.Body ?? ''), `SQS message ${message.MessageId ?? ''}`.trim());
  } catch (error) {
    if (error instanceof InputError) return error;
    if (error instanceof SyntaxError) return new InputError(`SQS message ${message.MessageId ?? ''}: body is not JSON`);
    throw error instanceof Error ? error : new LetheError(String(error));
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(value)));
}

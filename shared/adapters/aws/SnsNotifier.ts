import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { Notification, Notifier } from '../../ports/Notifier';
import { translateAwsError } from './translateAwsError';

export interface SnsNotifierOptions {
  client: SNSClient;
  topicArn: string;
}

/** Publishes to the stack's topic (e-mail subscribers get the subject and text as they are). */
export class SnsNotifier implements Notifier {
  constructor(private readonly options: SnsNotifierOptions) {}

  async notify(notification: Notification): Promise<void> {
    try {
      await this.options.client.send(
        new PublishCommand({
          TopicArn: this.options.topicArn,
          Subject: notification.subject,
          Message: notification.text,
          // For subscribers that filter: which job and what happened, never more.
          MessageAttributes: {
            jobId: { DataType: 'String', StringValue: notification.jobId },
            kind: { DataType: 'String', StringValue: notification.kind },
          },
        }),
      );
    } catch (error) {
      throw translateAwsError(error, `Publish ${this.options.topicArn}`, { jobId: notification.jobId });
    }
  }
}

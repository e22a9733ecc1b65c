import { Notification, Notifier } from '../../ports/Notifier';
import { StateStore } from '../../ports/StateStore';
import { appendEvent } from '../../records/jobEvents';

/** Locally there is no one to e-mail: the notification is a `Notified` event of the job, with its text. */
export class JobEventNotifier implements Notifier {
  constructor(private readonly state: StateStore) {}

  async notify(notification: Notification): Promise<void> {
    await appendEvent(this.state, notification.jobId, 'Notified', { kind: notification.kind, subject: notification.subject, text: notification.text });
  }
}

import { WorkMessage } from '../model/workMessage';

export interface ReceivedWork {
  message: WorkMessage;
  /** Handle for extend/ack/release of this delivery. */
  receipt: string;
  /** 1 on the first delivery. */
  receiveCount: number;
}

export interface QueueDepth {
  /** Waiting to be received. */
  visible: number;
  /** Received and not yet acknowledged. */
  inFlight: number;
  /** Given up on after maxReceiveCount deliveries. */
  deadLettered: number;
}

/** The deletion work queue, with SQS semantics: at-least-once, visibility timeout, dead-letter queue. */
export interface WorkQueue {
  send(messages: WorkMessage[]): Promise<void>;
  /**
   * Waits up to `waitSeconds` for messages; each stays hidden for `visibilitySeconds`. An aborted
   * `signal` ends the wait early with nothing where the queue can stop waiting without hiding a
   * message nobody will work (in-process); SQS's long poll runs its course.
   */
  receive(options: { max: number; visibilitySeconds: number; waitSeconds: number; signal?: AbortSignal }): Promise<ReceivedWork[]>;
  /** Restarts the delivery's visibility clock; 0 makes it visible again at once (release). */
  setVisibility(receipt: string, seconds: number): Promise<void>;
  ack(receipt: string): Promise<void>;
  /** Moves a delivery that must never be worked (it does not fit its job) to the dead-letter queue now. */
  quarantine(work: ReceivedWork): Promise<void>;
  depth(): Promise<QueueDepth>;
  /**
   * Resolves once the queue holds no message (none visible, none in flight), or after `ms` at the
   * latest, so the coordinator sees the last ack at once. Absent where the queue cannot tell without
   * polling (SQS): the coordinator sleeps between depth reads instead.
   */
  waitUntilEmpty?(ms: number): Promise<void>;
  /** Removes and returns the dead-lettered messages, so the coordinator can count them as failed. */
  drainDeadLetters(): Promise<WorkMessage[]>;
}

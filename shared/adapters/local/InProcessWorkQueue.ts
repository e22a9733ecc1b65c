import { randomBytes } from 'node:crypto';
import { sleep } from '../../concurrency/retryWithBackoff';
import { WorkMessage } from '../../model/workMessage';
import { QueueDepth, ReceivedWork, WorkQueue } from '../../ports/WorkQueue';

interface Entry {
  message: WorkMessage;
  visibleAt: number;
  receiveCount: number;
  receipt?: string;
}

/**
 * The work queue in memory, with SQS's semantics: at-least-once delivery, a visibility timeout that
 * hides a received message until it is acked or the time runs out, and a dead-letter list for
 * messages received more than maxReceiveCount times.
 */
export class InProcessWorkQueue implements WorkQueue {
  private entries: Entry[] = [];
  private dead: WorkMessage[] = [];
  /** Resolvers of waitUntilEmpty calls, run when the last entry leaves. */
  private emptyWaiters = new Set<() => void>();

  constructor(private readonly maxReceiveCount: number) {}

  async send(messages: WorkMessage[]): Promise<void> {
    for (const message of messages) this.entries.push({ message: { ...message }, visibleAt: 0, receiveCount: 0 });
  }

  async receive(options: { max: number; visibilitySeconds: number; waitSeconds: number; signal?: AbortSignal }): Promise<ReceivedWork[]> {
    const deadline = Date.now() + options.waitSeconds * 1000;
    for (;;) {
      // A stopped worker takes nothing: a message it took now would stay hidden until its visibility ran out.
      if (options.signal?.aborted) return [];
      const received = this.take(options.max, options.visibilitySeconds);
      if (received.length > 0 || Date.now() >= deadline) return received;
      await sleep(Math.min(50, deadline - Date.now()), options.signal);
    }
  }

  async setVisibility(receipt: string, seconds: number): Promise<void> {
    const entry = this.entries.find((e) => e.receipt === receipt);
    if (entry) entry.visibleAt = Date.now() + seconds * 1000;
  }

  async ack(receipt: string): Promise<void> {
    this.entries = this.entries.filter((e) => e.receipt !== receipt);
    this.wakeIfEmpty();
  }

  async quarantine(work: ReceivedWork): Promise<void> {
    const entry = this.entries.find((e) => e.receipt === work.receipt);
    if (!entry) return;
    this.entries = this.entries.filter((e) => e !== entry);
    this.dead.push(entry.message);
    this.wakeIfEmpty();
  }

  async depth(): Promise<QueueDepth> {
    const now = Date.now();
    const visible = this.entries.filter((e) => e.visibleAt <= now).length;
    return { visible, inFlight: this.entries.length - visible, deadLettered: this.dead.length };
  }

  waitUntilEmpty(ms: number): Promise<void> {
    if (this.entries.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.emptyWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.emptyWaiters.add(done);
    });
  }

  async drainDeadLetters(): Promise<WorkMessage[]> {
    const dead = this.dead;
    this.dead = [];
    return dead;
  }

  private take(max: number, visibilitySeconds: number): ReceivedWork[] {
    const now = Date.now();
    const received: ReceivedWork[] = [];
    for (const entry of [...this.entries]) {
      if (received.length >= max) break;
      if (entry.visibleAt > now) continue;
      if (entry.receiveCount >= this.maxReceiveCount) {
        this.entries = this.entries.filter((e) => e !== entry);
        this.dead.push(entry.message);
        continue;
      }
      entry.receiveCount++;
      entry.receipt = randomBytes(8).toString('hex');
      entry.visibleAt = now + visibilitySeconds * 1000;
      received.push({ message: { ...entry.message }, receipt: entry.receipt, receiveCount: entry.receiveCount });
    }
    this.wakeIfEmpty();
    return received;
  }

  private wakeIfEmpty(): void {
    if (this.entries.length === 0) for (const wake of [...this.emptyWaiters]) wake();
  }
}

import { errorMessage } from '../../model/errors';
import { Fleet } from '../../ports/Fleet';

interface Worker {
  controller: AbortController;
  done: Promise<void>;
}

/**
 * Forget workers as loops in this process, supervised: a worker that dies is replaced at once, up to
 * `maxReplacements` times per scale-up; past that, check() fails the job with the last worker's reason
 * (a full disk kills every replacement the same way, and a queue nobody works never drains).
 * scale(0) asks them to stop and waits until they have.
 */
export class InProcessFleet implements Fleet {
  private workers: Worker[] = [];
  private desired = 0;
  private deaths: unknown[] = [];

  constructor(
    private readonly startWorker: (signal: AbortSignal) => Promise<void>,
    private readonly maxReplacements = 3,
  ) {}

  async scale(desired: number): Promise<void> {
    if (desired > this.desired) this.deaths = [];
    this.desired = desired;
    while (this.workers.length < desired) this.start();
    if (desired < this.workers.length) {
      const stopping = this.workers.slice(desired);
      this.workers = this.workers.slice(0, desired);
      stopping.forEach((w) => w.controller.abort());
      await Promise.all(stopping.map((w) => w.done));
    }
  }

  async check(): Promise<void> {
    if (this.deaths.length <= this.maxReplacements) return;
    const last = this.deaths[this.deaths.length - 1];
    throw new Error(`forget workers died ${this.deaths.length} times (${this.maxReplacements} replaced); the last: ${errorMessage(last)}`);
  }

  async running(): Promise<number> {
    return this.workers.length;
  }

  private start(): void {
    const controller = new AbortController();
    const worker: Worker = { controller, done: Promise.resolve() };
    worker.done = this.startWorker(controller.signal).then(
      () => this.remove(worker),
      (error: unknown) => {
        this.remove(worker);
        if (controller.signal.aborted) return;
        this.deaths.push(error);
        if (this.deaths.length <= this.maxReplacements && this.workers.length < this.desired) this.start();
      },
    );
    this.workers.push(worker);
  }

  private remove(worker: Worker): void {
    this.workers = this.workers.filter((w) => w !== worker);
  }
}

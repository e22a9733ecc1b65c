import { Fleet } from '../../ports/Fleet';

/** Forget workers as loops in this process. scale(0) asks them to stop and waits until they have. */
export class InProcessFleet implements Fleet {
  private workers: Array<{ controller: AbortController; done: Promise<void> }> = [];
  private failures: unknown[] = [];

  constructor(private readonly startWorker: (signal: AbortSignal) => Promise<void>) {}

  async scale(desired: number): Promise<void> {
    while (this.workers.length < desired) {
      const controller = new AbortController();
      const done = this.startWorker(controller.signal).catch((error: unknown) => {
        this.failures.push(error);
      });
      this.workers.push({ controller, done });
    }
    if (desired < this.workers.length) {
      const stopping = this.workers.slice(desired);
      this.workers = this.workers.slice(0, desired);
      stopping.forEach((w) => w.controller.abort());
      await Promise.all(stopping.map((w) => w.done));
    }
    const failure = this.failures.shift();
    if (failure) throw failure;
  }

  async running(): Promise<number> {
    return this.workers.length;
  }
}

/**
 * Memory shared by concurrent work: each piece of work holds its estimate while it runs and starts
 * only when that fits beside what is running, or when nothing runs (work larger than the whole runs
 * alone rather than never). Waiters start in the order they asked, so a large one is not passed over
 * by a stream of small ones.
 */
export class MemoryLedger {
  private held = 0;
  private running = 0;
  private readonly waiting: Array<{ bytes: number; start: () => void }> = [];

  constructor(readonly capacityBytes: number) {}

  async hold<T>(bytes: number, work: () => Promise<T>): Promise<T> {
    if (this.waiting.length === 0 && this.fits(bytes)) this.take(bytes);
    else await new Promise<void>((start) => this.waiting.push({ bytes, start }));
    try {
      return await work();
    } finally {
      this.held -= bytes;
      this.running--;
      this.startWaiters();
    }
  }

  private fits(bytes: number): boolean {
    return this.running === 0 || this.held + bytes <= this.capacityBytes;
  }

  private take(bytes: number): void {
    this.held += bytes;
    this.running++;
  }

  private startWaiters(): void {
    while (this.waiting.length > 0 && this.fits(this.waiting[0]!.bytes)) {
      const next = this.waiting.shift()!;
      this.take(next.bytes);
      next.start();
    }
  }
}

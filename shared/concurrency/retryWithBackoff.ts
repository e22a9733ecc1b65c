import { classifyError } from './classifyError';

export interface RetryOptions {
  /** Attempts after the first. */
  retries: number;
  /** First delay; doubles each time, with jitter. */
  baseDelayMs: number;
  /** Errors another attempt cannot help (classifyError: permanent) are thrown at once. */
  isRetryable?: (error: unknown) => boolean;
  onRetry?: (error: unknown, attempt: number) => void;
}

export async function retryWithBackoff<T>(work: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const retryable = options.isRetryable ?? ((error) => classifyError(error) === 'transient');
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      if (attempt > options.retries || !retryable(error)) throw error;
      options.onRetry?.(error, attempt);
      const delay = options.baseDelayMs * 2 ** (attempt - 1);
      await sleep(delay / 2 + Math.random() * (delay / 2));
    }
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

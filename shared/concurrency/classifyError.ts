import { InputError, NotFoundError, OutputCheckError, UnreadableObjectError } from '../model/errors';

export type ErrorClass = 'permanent' | 'transient';

/**
 * Whether another attempt can help. Permanent: bad input, an object lethe cannot read or refuses
 * (INT96), a rewrite that failed its check, an object that is gone: the same bytes give the same
 * answer, so a retry only downloads and rewrites them again. Everything else is transient:
 * throttling, 5xx and timeouts (TransientError from the adapters), socket resets, a concurrent writer
 * (ConflictError: re-read, then try again), and errors nobody classified, because a bounded number of
 * retries (maxReceiveCount, queryRetries) is the safer mistake than failing an erasure on a hiccup.
 */
export function classifyError(error: unknown): ErrorClass {
  const permanent = error instanceof InputError || error instanceof UnreadableObjectError || error instanceof OutputCheckError || error instanceof NotFoundError;
  return permanent ? 'permanent' : 'transient';
}

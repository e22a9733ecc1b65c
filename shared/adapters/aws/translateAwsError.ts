import { ConflictError, ErrorContext, InputError, LetheError, NotFoundError, TransientError } from '../../model/errors';

/** Codes that mean "retry later": throttling, timeouts and the service's own faults. */
const TRANSIENT_CODES = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalError',
  'InternalFailure',
  'InternalServerException',
  'InternalServiceException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
]);

/** 412 on a conditional write, 409 when S3 saw a concurrent conditional write. */
const CONFLICT_CODES = new Set(['PreconditionFailed', 'ConditionalRequestConflict', 'OperationAborted']);

const NOT_FOUND_CODES = new Set([
  'NoSuchKey',
  'NoSuchVersion',
  'NotFound',
  'NoSuchBucket',
  'NoSuchUpload',
  'EntityNotFoundException',
  'ResourceNotFoundException',
  'AWS.SimpleQueueService.NonExistentQueue',
  'QueueDoesNotExist',
  'ServiceNotFoundException',
  'ClusterNotFoundException',
]);

/** The parts of an SDK v3 error lethe reads; everything else stays inside the adapter. */
export function awsErrorCode(error: unknown): { code: string; status?: number; message: string } {
  if (typeof error !== 'object' || error === null) return { code: 'Unknown', message: String(error) };
  const record = error as { name?: unknown; Code?: unknown; code?: unknown; message?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const code = [record.Code, record.name, record.code].find((c): c is string => typeof c === 'string' && c !== 'Error') ?? 'Unknown';
  const status = typeof record.$metadata?.httpStatusCode === 'number' ? record.$metadata.httpStatusCode : undefined;
  const message = typeof record.message === 'string' && record.message !== code ? record.message : '';
  return { code, ...(status === undefined ? {} : { status }), message };
}

/**
 * Turns an AWS SDK error into lethe's own: the logic above the adapters reads ConflictError,
 * TransientError, NotFoundError and InputError, never SDK names. `what` names the step and the
 * thing (`PutObject s3://lake/orders/part-0.parquet`); context must never hold a match ID.
 */
export function translateAwsError(error: unknown, what: string, context: ErrorContext = {}): LetheError {
  if (error instanceof LetheError) return error;
  const { code, status, message } = awsErrorCode(error);
  const detail = `${what}: ${code}${status === undefined ? '' : ` (HTTP ${status})`}${message ? `: ${message}` : ''}`;
  const translated = classify(code, status, detail, context);
  translated.cause = error;
  return translated;
}

function classify(code: string, status: number | undefined, detail: string, context: ErrorContext): LetheError {
  if (CONFLICT_CODES.has(code) || status === 412 || (status === 409 && code !== 'BucketAlreadyOwnedByYou')) return new ConflictError(detail, context);
  if (TRANSIENT_CODES.has(code) || status === 429 || (status !== undefined && status >= 500)) return new TransientError(detail, context);
  if (NOT_FOUND_CODES.has(code) || status === 404) return new NotFoundError(detail, context);
  if (status !== undefined && status >= 400) return new InputError(detail, context);
  return new LetheError(detail, context);
}

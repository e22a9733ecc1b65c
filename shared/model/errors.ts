/** Where an error happened. Never holds a match ID: use its MatchHash. */
export interface ErrorContext {
  mapperId?: string;
  object?: string;
  partition?: string;
  jobId?: string;
  field?: string;
}

export class LetheError extends Error {
  constructor(
    message: string,
    readonly context: ErrorContext = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad config, arguments or input data: exit 1, nothing changed. */
export class InputError extends LetheError {}

/** Someone else wrote first (HTTP 412/409, a changed file): re-read, never overwrite. */
export class ConflictError extends LetheError {}

/** Throttling, timeouts, a flaky network: worth retrying with backoff. */
export class TransientError extends LetheError {}

/** An object or record that should exist does not. */
export class NotFoundError extends LetheError {}

/** A file we cannot read or rewrite (corrupt Parquet, unsupported encoding): fails that object only. */
export class UnreadableObjectError extends LetheError {}

/** A rewrite that failed its check (row counts, a match left, the schema): the object is left as it was. */
export class OutputCheckError extends LetheError {}

export function unreachable(value: never): never {
  throw new Error(`unreachable: ${JSON.stringify(value)}`);
}

/** Message of any thrown value, for records and events. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

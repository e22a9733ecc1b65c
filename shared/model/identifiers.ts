import { InputError } from './errors';
import { expectString } from './fields';

/**
 * Identifiers that are all strings on the wire but must never be swapped for one another, branded as
 * duckdb-node-neo brands its native handles. A value gets its brand only from a parser below, at the
 * edge where it enters (a record, a work message, a CLI argument, an environment variable).
 */
export type JobId = string & { readonly __brand: 'JobId' };

const JOB_ID_PATTERN = /^[0-9]{8}T[0-9]{6}Z-[a-z0-9]{6}$/;

export function isJobId(text: string): text is JobId {
  return JOB_ID_PATTERN.test(text);
}

/** `where` names the field for a parsed record; a bare argument (CLI, URL) needs none. */
export function parseJobId(input: unknown, where?: string): JobId {
  const text = expectString(input, where ?? 'job id');
  if (!isJobId(text)) {
    throw new InputError(`${where ? `${where}: ` : ''}"${text}" is not a job id (like 20261122T031500Z-a1b2c3)`);
  }
  return text;
}

/**
 * A key of the state store (`jobs/<jobId>/job.json`), or a prefix of keys (`jobs/`; '' for all):
 * relative, `/`-separated. Built by shared/records/stateKeys.ts; parsed when it comes from a listing,
 * an environment variable or a record.
 */
export type StateKey = string & { readonly __brand: 'StateKey' };

/** `..` or `.` segments, a leading `/`, a backslash or a control character could leave a directory store's root. */
const UNSAFE_STATE_KEY = /(^|\/)\.{1,2}(\/|$)|^\/|\\|[\u0000-\u001f\u007f]/;

export function parseStateKey(input: unknown, where?: string): StateKey {
  const text = expectString(input, where ?? 'state key');
  if (UNSAFE_STATE_KEY.test(text)) {
    throw new InputError(`${where ? `${where}: ` : ''}${JSON.stringify(text)} is not a state key (a relative path like jobs/<jobId>/job.json)`);
  }
  return text as StateKey;
}

/** A lake object: `s3://bucket/key`, or an absolute file path in a directory lake. */
export type ObjectUri = string & { readonly __brand: 'ObjectUri' };

const OBJECT_URI = /^(s3[an]?:\/\/[^/]+\/.+|\/.+)$/s;

export function parseObjectUri(input: unknown, where?: string): ObjectUri {
  const text = expectString(input, where ?? 'object');
  if (!OBJECT_URI.test(text)) {
    throw new InputError(`${where ? `${where}: ` : ''}${JSON.stringify(text)} is not an object (s3://bucket/key, or an absolute path)`, { object: text });
  }
  return text as ObjectUri;
}

/** A version tag of a lake object or a state record, opaque, for conditional writes (If-Match). */
export type ETag = string & { readonly __brand: 'ETag' };

export function parseETag(input: unknown, where?: string): ETag {
  const text = expectString(input, where ?? 'ETag');
  if (text.length === 0) throw new InputError(`${where ? `${where}: ` : ''}an ETag must not be empty`);
  return text as ETag;
}

import { expectNonEmptyString, expectRecord, rejectUnknownKeys } from './fields';

/** One object to rewrite. Carries no match ID: the worker reads the job's manifest. */
export interface WorkMessage {
  jobId: string;
  mapperId: string;
  /** s3://bucket/key, or an absolute path for a directory lake. */
  object: string;
}

export function parseWorkMessage(input: unknown, where = 'work message'): WorkMessage {
  const record = expectRecord(input, where);
  rejectUnknownKeys(record, ['jobId', 'mapperId', 'object'], where);
  return {
    jobId: expectNonEmptyString(record.jobId, `${where}.jobId`),
    mapperId: expectNonEmptyString(record.mapperId, `${where}.mapperId`),
    object: expectNonEmptyString(record.object, `${where}.object`),
  };
}

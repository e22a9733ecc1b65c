import { InputError } from './errors';
import { expectArray, expectNonEmptyString, expectRecord, rejectUnknownKeys } from './fields';
import { JobId, ObjectUri, parseJobId, parseObjectUri } from './identifiers';
import { MAPPER_ID_PATTERN } from './dataMapper';

/**
 * One object to rewrite, once per job, with the matches of every mapper that found it. Carries no
 * match ID: the worker reads the job's manifests.
 */
export interface WorkMessage {
  jobId: JobId;
  /** s3://bucket/key, or an absolute path for a directory lake. */
  object: ObjectUri;
  /** The mappers whose matches this object holds, sorted, at least one. */
  mapperIds: string[];
}

export function parseWorkMessage(input: unknown, where = 'work message'): WorkMessage {
  const record = expectRecord(input, where);
  rejectUnknownKeys(record, ['jobId', 'object', 'mapperIds'], where);
  const jobId = parseJobId(record.jobId, `${where}.jobId`);
  const mapperIds = expectArray(record.mapperIds, `${where}.mapperIds`).map((id, i) => {
    const text = expectNonEmptyString(id, `${where}.mapperIds[${i}]`);
    if (!MAPPER_ID_PATTERN.test(text)) throw new InputError(`${where}.mapperIds[${i}]: "${text}" is not a mapper id`);
    return text;
  });
  if (mapperIds.length === 0) throw new InputError(`${where}.mapperIds: empty (an object needs at least one mapper)`);
  if (new Set(mapperIds).size !== mapperIds.length) throw new InputError(`${where}.mapperIds: lists a mapper twice`);
  return { jobId, object: parseObjectUri(record.object, `${where}.object`), mapperIds };
}

import { JobId } from '../model/identifiers';
import { parseColumnTypeJson } from '../model/columnType';
import { NotFoundError } from '../model/errors';
import { expectArray, expectNonEmptyString, expectRecord, expectStringArray } from '../model/fields';
import { MatchColumnSet } from '../ports/QueryExecutor';
import { StateStore } from '../ports/StateStore';
import { putStateValue } from './putStateValue';
import { matchSetsKey } from './stateKeys';

/**
 * The typed columns each manifest key compares with, as find resolved them. Workers read this
 * instead of asking the catalog again, so the rewrite compares exactly as the find did.
 */
export async function writeMatchSets(state: StateStore, jobId: JobId, mapperId: string, sets: readonly MatchColumnSet[]): Promise<void> {
  await putStateValue(state, matchSetsKey(jobId, mapperId), JSON.stringify(sets));
}

export async function readMatchSets(state: StateStore, jobId: JobId, mapperId: string): Promise<MatchColumnSet[]> {
  const key = matchSetsKey(jobId, mapperId);
  const stored = await state.read(key);
  if (!stored) throw new NotFoundError(`mapper "${mapperId}": ${state.describe(key)} is missing`, { mapperId, jobId });
  return expectArray(JSON.parse(stored.body.toString('utf8')), key).map((input, i) => {
    const set = expectRecord(input, `${key}[${i}]`);
    return {
      key: expectNonEmptyString(set.key, `${key}[${i}].key`),
      columns: expectArray(set.columns, `${key}[${i}].columns`).map((c, j) => {
        const column = expectRecord(c, `${key}[${i}].columns[${j}]`);
        return {
          configured: expectNonEmptyString(column.configured, `${key}[${i}].columns[${j}].configured`),
          path: expectStringArray(column.path, `${key}[${i}].columns[${j}].path`),
          type: parseColumnTypeJson(column.type, `${key}[${i}].columns[${j}].type`),
        };
      }),
    };
  });
}

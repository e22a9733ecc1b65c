import { FoundObject, PlannedObject } from '../records/jobPlan';
import { ObjectUri } from '../model/identifiers';

/**
 * Groups what the find queries returned by object: two mappers over the same folder find the same
 * object, and it must be rewritten once with both mappers' matches (a second rewrite keyed by the
 * same object would be skipped as already done). Objects come out sorted by name.
 */
export function groupFoundObjects(found: readonly FoundObject[]): PlannedObject[] {
  const byObject = new Map<ObjectUri, Set<string>>();
  for (const { object, mapperId } of found) byObject.set(object, (byObject.get(object) ?? new Set()).add(mapperId));
  return [...byObject.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([object, mappers]) => ({ object, mapperIds: [...mappers].sort() }));
}

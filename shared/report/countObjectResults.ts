import { ObjectTotals } from '../model/job';
import { ObjectResult, isFinalOutcome } from '../model/objectResult';
import { JobPlan } from '../records/jobPlan';

/** The object counters of a job, derived from its plan and the object results (never kept twice). */
export function countObjectResults(plan: JobPlan, results: readonly ObjectResult[]): ObjectTotals {
  const byObject = new Map(results.map((r) => [r.object, r]));
  const counters = { objectsFound: plan.objects.length, objectsUpdated: 0, objectsUnchanged: 0, objectsMissing: 0, objectsFailed: 0, rowsDeleted: 0, versionsDeleted: 0 };
  for (const { object } of plan.objects) {
    const result = byObject.get(object);
    if (!result || !isFinalOutcome(result.outcome)) counters.objectsFailed++;
    else if (result.outcome === 'updated') counters.objectsUpdated++;
    else if (result.outcome === 'unchanged') counters.objectsUnchanged++;
    else counters.objectsMissing++;
    counters.rowsDeleted += result?.outcome === 'updated' ? (result.rowsDeleted ?? 0) : 0;
    counters.versionsDeleted += result?.versionsDeleted ?? 0;
  }
  return counters;
}

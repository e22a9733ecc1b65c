import { JobCounters, TerminalStatus } from '../model/job';

export interface OutcomeInput {
  counters: Pick<JobCounters, 'objectsFound' | 'matchesUnapplied'>;
  /** Objects of the plan without a final result (failed, dead-lettered, never done). */
  failedObjects: readonly string[];
  /** Objects where verification still found a match. */
  objectsWithMatches: readonly string[];
}

export interface Outcome {
  status: TerminalStatus;
  /** Every reason the job is not COMPLETED, each on its own: one status cannot hold them all. */
  causes: string[];
}

/**
 * The terminal status a job that ran to the end earns, and all its causes. A match left in an object
 * the forget reported as done is the worst: the job's own record would claim an erasure that did not
 * happen, so it is VERIFY_FAILED even when other objects failed (those are expected to still match).
 */
export function decideOutcome({ counters, failedObjects, objectsWithMatches }: OutcomeInput): Outcome {
  const failed = new Set(failedObjects);
  const unexplained = objectsWithMatches.filter((o) => !failed.has(o));
  const causes = [
    ...(failedObjects.length > 0 ? [`${failedObjects.length} of ${counters.objectsFound} objects failed: ${listSome(failedObjects)}`] : []),
    ...(unexplained.length > 0 ? [`verification found matches left in ${unexplained.length} objects the forget reported done: ${listSome(unexplained)}`] : []),
    ...(counters.matchesUnapplied > 0 ? [`${counters.matchesUnapplied} matches applied to no column of any mapper`] : []),
  ];
  const status: TerminalStatus =
    unexplained.length > 0 ? 'VERIFY_FAILED'
    : failedObjects.length > 0 && failedObjects.length >= counters.objectsFound ? 'FORGET_FAILED'
    : failedObjects.length > 0 ? 'FORGET_PARTIALLY_FAILED'
    // Everything the job could do is done, but a request it could not apply must not read as done.
    : counters.matchesUnapplied > 0 ? 'UNAPPLIED_MATCHES'
    : 'COMPLETED';
  return { status, causes };
}

function listSome(objects: readonly string[]): string {
  const shown = objects.slice(0, 5).join(', ');
  return objects.length > 5 ? `${shown} and ${objects.length - 5} more` : shown;
}

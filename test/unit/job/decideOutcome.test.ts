import assert from 'node:assert/strict';
import { decideOutcome } from '../../../shared/job/decideOutcome';
import { TerminalStatus } from '../../../shared/model/job';

const A = '/lake/a.parquet';
const B = '/lake/b.parquet';

/** Two objects found; which failed, where verification found matches, whether a match applied nowhere. */
interface Row {
  failed: string[];
  withMatches: string[];
  unapplied: number;
  status: TerminalStatus;
  causes: RegExp[];
}

const FAILED_ONE = /1 of 2 objects failed: \/lake\/a\.parquet/;
const FAILED_TWO = /2 of 2 objects failed/;
const LEFT_IN_B = /matches left in 1 objects the forget reported done: \/lake\/b\.parquet/;
const LEFT_IN_BOTH = /matches left in 2 objects/;
const UNAPPLIED = /1 matches applied to no column/;

// Written by hand: every combination of forget (none, one, both failed), verification (clean, a match
// only where the object failed, a match in an object reported done) and unapplied matches (0, 1).
const TABLE: Row[] = [
  { failed: [], withMatches: [], unapplied: 0, status: 'COMPLETED', causes: [] },
  { failed: [], withMatches: [], unapplied: 1, status: 'UNAPPLIED_MATCHES', causes: [UNAPPLIED] },
  { failed: [], withMatches: [B], unapplied: 0, status: 'VERIFY_FAILED', causes: [LEFT_IN_B] },
  { failed: [], withMatches: [B], unapplied: 1, status: 'VERIFY_FAILED', causes: [LEFT_IN_B, UNAPPLIED] },
  { failed: [], withMatches: [A, B], unapplied: 0, status: 'VERIFY_FAILED', causes: [LEFT_IN_BOTH] },
  { failed: [A], withMatches: [], unapplied: 0, status: 'FORGET_PARTIALLY_FAILED', causes: [FAILED_ONE] },
  { failed: [A], withMatches: [], unapplied: 1, status: 'FORGET_PARTIALLY_FAILED', causes: [FAILED_ONE, UNAPPLIED] },
  { failed: [A], withMatches: [A], unapplied: 0, status: 'FORGET_PARTIALLY_FAILED', causes: [FAILED_ONE] },
  { failed: [A], withMatches: [A], unapplied: 1, status: 'FORGET_PARTIALLY_FAILED', causes: [FAILED_ONE, UNAPPLIED] },
  { failed: [A], withMatches: [B], unapplied: 0, status: 'VERIFY_FAILED', causes: [FAILED_ONE, LEFT_IN_B] },
  { failed: [A], withMatches: [A, B], unapplied: 1, status: 'VERIFY_FAILED', causes: [FAILED_ONE, LEFT_IN_B, UNAPPLIED] },
  { failed: [A, B], withMatches: [], unapplied: 0, status: 'FORGET_FAILED', causes: [FAILED_TWO] },
  { failed: [A, B], withMatches: [], unapplied: 1, status: 'FORGET_FAILED', causes: [FAILED_TWO, UNAPPLIED] },
  { failed: [A, B], withMatches: [A, B], unapplied: 0, status: 'FORGET_FAILED', causes: [FAILED_TWO] },
  { failed: [A, B], withMatches: [B], unapplied: 1, status: 'FORGET_FAILED', causes: [FAILED_TWO, UNAPPLIED] },
];

describe('decideOutcome', () => {
  for (const row of TABLE) {
    it(`failed [${row.failed.join(' ')}], matches left in [${row.withMatches.join(' ')}], ${row.unapplied} unapplied: ${row.status}`, () => {
      const outcome = decideOutcome({ counters: { objectsFound: 2, matchesUnapplied: row.unapplied }, failedObjects: row.failed, objectsWithMatches: row.withMatches });
      assert.equal(outcome.status, row.status);
      assert.equal(outcome.causes.length, row.causes.length, outcome.causes.join(' | '));
      row.causes.forEach((cause, i) => assert.match(outcome.causes[i]!, cause));
    });
  }

  it('nothing found: COMPLETED, or UNAPPLIED_MATCHES when a match applied nowhere', () => {
    assert.equal(decideOutcome({ counters: { objectsFound: 0, matchesUnapplied: 0 }, failedObjects: [], objectsWithMatches: [] }).status, 'COMPLETED');
    assert.equal(decideOutcome({ counters: { objectsFound: 0, matchesUnapplied: 3 }, failedObjects: [], objectsWithMatches: [] }).status, 'UNAPPLIED_MATCHES');
  });

  it('a failed object does not hide a match left in an object reported done (the case main got wrong)', () => {
    const outcome = decideOutcome({ counters: { objectsFound: 2, matchesUnapplied: 0 }, failedObjects: [A], objectsWithMatches: [A, B] });
    assert.equal(outcome.status, 'VERIFY_FAILED');
    assert.equal(outcome.causes.length, 2);
  });
});

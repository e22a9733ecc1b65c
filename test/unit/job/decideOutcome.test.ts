import assert from 'node:assert/strict';
import { decideOutcome } from '../../../shared/job/runJob';
import { Job, JobCounters, ZERO_COUNTERS } from '../../../shared/model/job';

const job = (counters: Partial<JobCounters>): Job => ({
  id: '20261122T031500Z-a1b2c3', status: 'CLEANING_UP', createdAt: '', updatedAt: '', createdBy: 'test',
  settings: {} as Job['settings'], mappers: [], queue: [], counters: { ...ZERO_COUNTERS, ...counters },
});

describe('decideOutcome', () => {
  it('puts UNAPPLIED_MATCHES in the place of COMPLETED when some match applied nowhere', () => {
    assert.equal(decideOutcome(job({ objectsFound: 2 }), 0), 'COMPLETED');
    assert.equal(decideOutcome(job({ objectsFound: 2, matchesUnapplied: 1 }), 0), 'UNAPPLIED_MATCHES');
    assert.equal(decideOutcome(job({ matchesUnapplied: 3 }), 0), 'UNAPPLIED_MATCHES', 'also when nothing was found');
  });

  it('keeps a failure of the job its own status', () => {
    assert.equal(decideOutcome(job({ objectsFound: 2, objectsFailed: 2, matchesUnapplied: 1 }), 0), 'FORGET_FAILED');
    assert.equal(decideOutcome(job({ objectsFound: 2, objectsFailed: 1, matchesUnapplied: 1 }), 0), 'FORGET_PARTIALLY_FAILED');
    assert.equal(decideOutcome(job({ objectsFound: 2, matchesUnapplied: 1 }), 1), 'VERIFY_FAILED');
  });
});

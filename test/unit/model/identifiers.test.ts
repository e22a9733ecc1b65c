import assert from 'node:assert/strict';
import { parseJobId } from '../../../shared/model/identifiers';
import { parseWorkMessage } from '../../../shared/model/workMessage';
import { jobKey } from '../../../shared/records/stateKeys';

describe('branded identifiers', () => {
  it('a job id is parsed where it enters; anything else is one InputError naming the field', () => {
    assert.equal(parseJobId('20261122T031500Z-a1b2c3'), '20261122T031500Z-a1b2c3');
    assert.throws(() => parseJobId('../20261122T031500Z-a1b2c3'), { name: 'InputError', message: /^"\.\.\/20261122T031500Z-a1b2c3" is not a job id/ });
    assert.throws(() => parseJobId(42, 'job.json.id'), { name: 'InputError', message: /^job\.json\.id: expected a string, got 42/ });
    assert.throws(
      () => parseWorkMessage({ jobId: 'jobs/x', object: 's3://lake/a.parquet', mapperIds: ['m'] }),
      { name: 'InputError', message: /^work message\.jobId: "jobs\/x" is not a job id/ },
    );
  });

  it('the compiler refuses a plain string where a brand is expected (npm test typechecks this file)', () => {
    const text: string = '20261122T031500Z-a1b2c3';
    // @ts-expect-error a string that was never parsed is not a JobId
    assert.equal(jobKey(text), `jobs/${text}/job.json`);
    assert.equal(jobKey(parseJobId(text)), `jobs/${text}/job.json`);
  });
});

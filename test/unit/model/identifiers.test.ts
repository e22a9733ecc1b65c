import assert from 'node:assert/strict';
import { ETag, JobId, ObjectUri, StateKey, parseJobId, parseObjectUri, parseStateKey } from '../../../shared/model/identifiers';
import { ObjectStore } from '../../../shared/ports/ObjectStore';
import { StateStore } from '../../../shared/ports/StateStore';
import { parseWorkMessage } from '../../../shared/model/workMessage';
import { jobKey, objectResultKey } from '../../../shared/records/stateKeys';

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

  it('a state key is a relative path that stays inside the store', () => {
    assert.equal(parseStateKey('jobs/20261122T031500Z-a1b2c3/job.json'), 'jobs/20261122T031500Z-a1b2c3/job.json');
    assert.equal(parseStateKey(''), '', 'the empty prefix names the whole store');
    for (const bad of ['../etc/passwd', 'jobs/../../x', '/abs/key', 'jobs/./x', 'a\\b', 'a\u0000b']) {
      assert.throws(() => parseStateKey(bad, 'LETHE_REQUEST_KEY'), { name: 'InputError', message: /^LETHE_REQUEST_KEY: .* is not a state key/ }, bad);
    }
  });

  it('an object is an s3:// URI with a key, or an absolute path', () => {
    assert.equal(parseObjectUri('s3://lake/orders/part-0.parquet'), 's3://lake/orders/part-0.parquet');
    assert.equal(parseObjectUri('/srv/lake/orders/part-0.parquet'), '/srv/lake/orders/part-0.parquet');
    for (const bad of ['s3://lake', 's3://lake/', 'orders/part-0.parquet', '']) {
      assert.throws(() => parseObjectUri(bad, 'work message.object'), { name: 'InputError', message: /^work message\.object: .* is not an object/ }, bad);
    }
  });

  it('the compiler refuses a swapped identifier (npm test typechecks this file; an unused @ts-expect-error fails it)', () => {
    const text: string = '20261122T031500Z-a1b2c3';
    // @ts-expect-error a string that was never parsed is not a JobId
    assert.equal(jobKey(text), `jobs/${text}/job.json`);
    assert.equal(jobKey(parseJobId(text)), `jobs/${text}/job.json`);
    // Type checks only, never called: each line passes one identifier where another is expected.
    void ((state: StateStore, lake: ObjectStore, key: StateKey, etag: ETag, object: ObjectUri, jobId: JobId) => [
      // @ts-expect-error a job id is not a state key
      state.read(jobId),
      // @ts-expect-error the key and the ETag swapped
      state.replace(etag, '{}', key),
      // @ts-expect-error a state key is not a lake object
      lake.head(key),
      // @ts-expect-error object and job id swapped
      objectResultKey(object, jobId),
    ]);
  });
});

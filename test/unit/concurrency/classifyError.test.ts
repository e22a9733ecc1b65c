import assert from 'node:assert/strict';
import { classifyError } from '../../../shared/concurrency/classifyError';
import { retryWithBackoff } from '../../../shared/concurrency/retryWithBackoff';
import { ConflictError, InputError, NotFoundError, OutputCheckError, TransientError, UnreadableObjectError } from '../../../shared/model/errors';

const errno = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:9000`), { code });

describe('classifyError', () => {
  const table: Array<[string, unknown, 'permanent' | 'transient']> = [
    ['bad input', new InputError('mapper "m": column "x" not found'), 'permanent'],
    ['an object lethe cannot read', new UnreadableObjectError('cannot read s3://lake/a.parquet: not a Parquet file'), 'permanent'],
    ['an INT96 object refused', new UnreadableObjectError('INT96 column "ts" holds 3 values outside the nanosecond range; refused'), 'permanent'],
    ['a rewrite that failed its output check', new OutputCheckError('the rewrite of s3://lake/a.parquet failed its check: 1 rows still match'), 'permanent'],
    ['an object that is gone', new NotFoundError('s3://lake/a.parquet not found'), 'permanent'],
    ['throttling or a 5xx', new TransientError('PutObject s3://lake/a.parquet: SlowDown'), 'transient'],
    ['a concurrent writer (412)', new ConflictError('s3://lake/a.parquet changed since it was read'), 'transient'],
    ['a connection reset', errno('ECONNRESET'), 'transient'],
    ['a timeout', errno('ETIMEDOUT'), 'transient'],
    ['a refused connection', errno('ECONNREFUSED'), 'transient'],
    ['anything unknown (bounded by maxReceiveCount)', new Error('something else'), 'transient'],
  ];
  for (const [what, error, expected] of table) {
    it(`${what}: ${expected}`, () => assert.equal(classifyError(error), expected));
  }
});

describe('retryWithBackoff', () => {
  it('tries a permanent error once and a transient one until it succeeds', async () => {
    let unreadable = 0;
    await assert.rejects(
      retryWithBackoff(async () => {
        unreadable++;
        throw new UnreadableObjectError('not a Parquet file');
      }, { retries: 3, baseDelayMs: 1 }),
      { name: 'UnreadableObjectError' },
    );
    assert.equal(unreadable, 1);
    let throttled = 0;
    const value = await retryWithBackoff(async () => {
      throttled++;
      if (throttled < 3) throw new TransientError('SlowDown');
      return 'done';
    }, { retries: 3, baseDelayMs: 1 });
    assert.equal(value, 'done');
    assert.equal(throttled, 3);
  });
});

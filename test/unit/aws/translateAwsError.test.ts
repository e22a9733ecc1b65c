import assert from 'node:assert/strict';
import { translateAwsError } from '../../../shared/adapters/aws/translateAwsError';
import { ConflictError, InputError, LetheError, NotFoundError, TransientError } from '../../../shared/model/errors';

/** An error shaped like the SDK v3 throws them. */
function sdkError(name: string, status: number, message = `${name} happened`): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

describe('translateAwsError', () => {
  const context = { object: 's3://lake/orders/part-0.parquet', mapperId: 'orders' };

  it('turns conditional-write failures into ConflictError', () => {
    for (const error of [sdkError('PreconditionFailed', 412), sdkError('ConditionalRequestConflict', 409)]) {
      const translated = translateAwsError(error, 'PutObject s3://lake/orders/part-0.parquet', context);
      assert.ok(translated instanceof ConflictError);
      assert.deepEqual(translated.context, context);
      assert.equal(translated.cause, error);
    }
  });

  it('turns throttling, timeouts and 5xx into TransientError', () => {
    for (const error of [sdkError('SlowDown', 503), sdkError('TooManyRequestsException', 400), sdkError('InternalError', 500), sdkError('ThrottlingException', 400)]) {
      assert.ok(translateAwsError(error, 'x') instanceof TransientError, error.name);
    }
    assert.ok(translateAwsError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'x') instanceof TransientError);
  });

  it('turns 404s into NotFoundError and other 4xx into InputError', () => {
    assert.ok(translateAwsError(sdkError('NoSuchKey', 404), 'x') instanceof NotFoundError);
    assert.ok(translateAwsError(sdkError('EntityNotFoundException', 400), 'x') instanceof NotFoundError);
    assert.ok(translateAwsError(sdkError('AccessDenied', 403), 'x') instanceof InputError);
  });

  it('names the step, the code and the status, and passes lethe errors through', () => {
    const translated = translateAwsError(sdkError('AccessDenied', 403, 'Access Denied'), 'GetObject s3://lake/a.parquet');
    assert.equal(translated.message, 'GetObject s3://lake/a.parquet: AccessDenied (HTTP 403): Access Denied');
    const own = new ConflictError('already lethe');
    assert.equal(translateAwsError(own, 'x'), own);
    assert.equal(translateAwsError('a string', 'x').constructor, LetheError);
  });
});

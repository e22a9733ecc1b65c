import assert from 'node:assert/strict';
import { settleAll } from '../../../shared/concurrency/settleAll';

const after = <T>(ms: number, value: T, fail = false) =>
  new Promise<T>((resolve, reject) => setTimeout(() => (fail ? reject(new Error(String(value))) : resolve(value)), ms));

describe('settleAll', () => {
  it('returns every value in the order given', async () => {
    assert.deepEqual(await settleAll([after(20, 'a'), after(1, 2), Promise.resolve(true)]), ['a', 2, true]);
  });

  it('throws the first failure in the order given, only once every promise has settled', async () => {
    let slowDone = false;
    const slow = after(40, 'slow').then((value) => {
      slowDone = true;
      return value;
    });
    await assert.rejects(settleAll([slow, after(30, 'first', true), after(1, 'second', true)]), { message: 'first' });
    assert.equal(slowDone, true, 'nothing left running when it throws');
  });
});

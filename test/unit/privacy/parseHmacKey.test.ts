import assert from 'node:assert/strict';
import { parseHmacKey } from '../../../shared/privacy/parseHmacKey';

describe('parseHmacKey', () => {
  it('reads hex text (surrounding whitespace allowed) into the key bytes', () => {
    assert.deepEqual(parseHmacKey(` ${'0f'.repeat(32)}\n`, 'SSM parameter /k'), Buffer.alloc(32, 0x0f));
  });

  it('refuses short, odd or non-hex text, naming where it came from and never echoing it', () => {
    for (const text of ['ab'.repeat(15), `${'ab'.repeat(16)}a`, `${'ab'.repeat(15)}zz`, '']) {
      assert.throws(() => parseHmacKey(text, 'SSM parameter /lethe/dev/hmac-key'), (error: Error) => {
        assert.equal(error.name, 'InputError');
        assert.match(error.message, /^SSM parameter \/lethe\/dev\/hmac-key: the HMAC key must be an even number \(at least 32\) of hex digits$/);
        return true;
      });
    }
  });
});

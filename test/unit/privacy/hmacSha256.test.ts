import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { createHmacSha256 } from '../../../shared/privacy/hmacSha256';
import { hmacMatch } from '../../../shared/privacy/hmacMatch';

const nodeHmac = (key: Uint8Array, message: string) => createHmac('sha256', key).update(message).digest('hex');

describe('createHmacSha256', () => {
  it('gives the bytes of node:crypto createHmac for any key and message, one hasher reused across messages', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 200 }),
        fc.array(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 100 })), { minLength: 1, maxLength: 8 }),
        (key, messages) => {
          const hmac = createHmacSha256(key);
          for (const message of messages) assert.equal(hmac(message), nodeHmac(key, message));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('agrees at every message length around the block and padding boundaries, ASCII and not', () => {
    const key = Buffer.alloc(32, 7);
    const hmac = createHmacSha256(key);
    for (let length = 0; length <= 300; length++) {
      for (const unit of ['x', 'é', '€', '😀', '\ud800']) {
        const message = unit.repeat(length);
        assert.equal(hmac(message), nodeHmac(key, message), `${length} × ${JSON.stringify(unit)}`);
      }
    }
    const long = 'ü'.repeat(20_000);
    assert.equal(hmac(long), nodeHmac(key, long));
  });

  it('hashes a match as it did with createHmac: the canonical form, tagged by kind', () => {
    const key = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    assert.equal(hmacMatch(key, { kind: 'simple', value: '17' }), nodeHmac(key, 's:17'));
    assert.equal(hmacMatch(key, { kind: 'composite', columns: { b: '2', a: '1' } }), nodeHmac(key, 'c:[["a","1"],["b","2"]]'));
  });
});

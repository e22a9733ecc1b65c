import assert from 'node:assert/strict';
import { hmacMatch, matchHasher } from '../../../shared/privacy/hmacMatch';

// Digests from `openssl dgst -sha256 -mac HMAC -macopt hexkey:00112233445566778899aabbccddeeff`
// over the canonical text written out by hand, so neither the form nor the hash comes from lethe.
const KEY = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
const SIMPLE_17 = '9753941ef8c5383c8de92ca2cfc564eb40b28d4924cae4fed9b01b6a8df93bee'; // s:17
const COMPOSITE_A1_B2 = '19869b6181f202e7f9748b4880a4bf8d1819347cdccce7c8a1b941123e8a7f45'; // c:[["a","1"],["b","2"]]

describe('hmacMatch', () => {
  it('hashes the canonical form, tagged by kind, with composite columns sorted', () => {
    assert.equal(hmacMatch(KEY, { kind: 'simple', value: '17' }), SIMPLE_17);
    assert.equal(hmacMatch(KEY, { kind: 'composite', columns: { b: '2', a: '1' } }), COMPOSITE_A1_B2);
    assert.equal(hmacMatch(KEY, { kind: 'composite', columns: { a: '1', b: '2' } }), COMPOSITE_A1_B2);
  });

  it('gives the same digest through one hasher reused across many matches', () => {
    const hash = matchHasher(KEY);
    for (let i = 0; i < 3; i++) {
      assert.equal(hash({ kind: 'simple', value: '17' }), SIMPLE_17);
      assert.equal(hash({ kind: 'composite', columns: { b: '2', a: '1' } }), COMPOSITE_A1_B2);
    }
  });
});

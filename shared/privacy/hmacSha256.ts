import { hash } from 'node:crypto';

/** SHA-256's round constants and initial state (FIPS 180-4, 4.2.2 and 5.3.3). */
const ROUND = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const INITIAL = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
const BLOCK = 64;

/**
 * HMAC-SHA256 under one key, for hashing very many short messages: the same bytes as
 * `createHmac('sha256', key).update(message).digest('hex')` (RFC 2104), a hex string. The key's
 * inner and outer padded blocks are compressed once, so a message of up to 55 UTF-8 bytes costs two
 * block compressions and no object: createHmac builds an HMAC context per message, and at a million
 * match IDs those contexts and their garbage were most of the find's time.
 */
export function createHmacSha256(key: Uint8Array): (message: string) => string {
  const padded = new Uint8Array(BLOCK);
  padded.set(key.length > BLOCK ? hash('sha256', key, 'buffer') : key);
  const innerStart = keyedState(padded, 0x36);
  const outerStart = keyedState(padded, 0x5c);
  const words = new Int32Array(64);
  const state = new Int32Array(8);
  const encoder = new TextEncoder();
  let message = new Uint8Array(BLOCK * 4);
  // The outer message is the inner digest: 32 bytes, then padding for 64 + 32 bytes (768 bits).
  const outer = new Uint8Array(BLOCK);
  outer[32] = 0x80;
  outer[62] = 0x03;
  const digest = Buffer.alloc(32);
  return (text) => {
    // UTF-8 is at most 3 bytes per UTF-16 unit; 9 more for the padding's 0x80 and length.
    if (message.length < text.length * 3 + 9 + BLOCK) message = new Uint8Array(text.length * 3 + 9 + BLOCK);
    let length = 0;
    while (length < text.length) {
      const code = text.charCodeAt(length);
      if (code > 0x7f) break;
      message[length++] = code;
    }
    if (length < text.length) length = encoder.encodeInto(text, message).written;
    const blocks = Math.ceil((length + 9) / BLOCK);
    const end = blocks * BLOCK;
    message.fill(0, length, end);
    message[length] = 0x80;
    writeBitLength(message, end, BLOCK + length);
    state.set(innerStart);
    for (let offset = 0; offset < end; offset += BLOCK) compress(state, words, message, offset);
    storeWords(state, outer);
    state.set(outerStart);
    compress(state, words, outer, 0);
    storeWords(state, digest);
    return digest.toString('hex');
  };
}

function keyedState(paddedKey: Uint8Array, pad: number): Int32Array {
  const block = paddedKey.map((byte) => byte ^ pad);
  const state = new Int32Array(INITIAL);
  compress(state, new Int32Array(64), block, 0);
  return state;
}

/** The message length in bits, big-endian, in the last 8 bytes before `end`. */
function writeBitLength(bytes: Uint8Array, end: number, byteLength: number): void {
  const high = Math.floor(byteLength / 2 ** 29);
  const low = (byteLength * 8) >>> 0;
  bytes[end - 8] = 0;
  bytes[end - 7] = 0;
  bytes[end - 6] = 0;
  bytes[end - 5] = high & 0xff;
  bytes[end - 4] = low >>> 24;
  bytes[end - 3] = (low >>> 16) & 0xff;
  bytes[end - 2] = (low >>> 8) & 0xff;
  bytes[end - 1] = low & 0xff;
}

function storeWords(state: Int32Array, bytes: Uint8Array): void {
  for (let i = 0; i < 8; i++) {
    const word = state[i]!;
    bytes[i * 4] = word >>> 24;
    bytes[i * 4 + 1] = (word >>> 16) & 0xff;
    bytes[i * 4 + 2] = (word >>> 8) & 0xff;
    bytes[i * 4 + 3] = word & 0xff;
  }
}

/** One SHA-256 block compression (FIPS 180-4, 6.2.2) of bytes[offset, offset + 64) into state. */
function compress(state: Int32Array, w: Int32Array, bytes: Uint8Array, offset: number): void {
  for (let i = 0; i < 16; i++) {
    const j = offset + i * 4;
    w[i] = (bytes[j]! << 24) | (bytes[j + 1]! << 16) | (bytes[j + 2]! << 8) | bytes[j + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const w15 = w[i - 15]!;
    const w2 = w[i - 2]!;
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let f = state[5]!;
  let g = state[6]!;
  let h = state[7]!;
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + ROUND[i]! + w[i]!) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

import { InputError } from '../model/errors';

/**
 * The key's text as stored (hex, at least 128 bits) -> its bytes. The error names where the text
 * came from and what is wrong with it, never the text: a near-miss would still be most of a key.
 */
export function parseHmacKey(text: string, where: string): Buffer {
  const hex = text.trim();
  if (!/^(?:[0-9a-fA-F]{2}){16,}$/.test(hex)) throw new InputError(`${where}: the HMAC key must be an even number (at least 32) of hex digits`);
  return Buffer.from(hex, 'hex');
}

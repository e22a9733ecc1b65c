import { randomBytes } from 'node:crypto';
import { ConflictError } from '../model/errors';
import { Settings } from '../model/settings';
import { StateStore } from '../ports/StateStore';
import { HMAC_KEY_KEY } from '../records/stateKeys';

/**
 * The HMAC key: from settings when given (SSM on AWS), else the state store's generated key, created
 * on first use. Two processes racing to create it both end up with the winner's key.
 */
export async function loadHmacKey(state: StateStore, settings: Settings): Promise<Buffer> {
  if (settings.hmacKey) return Buffer.from(settings.hmacKey, 'hex');
  const existing = await state.read(HMAC_KEY_KEY);
  if (existing) return Buffer.from(existing.body.toString('utf8').trim(), 'hex');
  try {
    const key = randomBytes(32);
    await state.create(HMAC_KEY_KEY, key.toString('hex'));
    return key;
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    return loadHmacKey(state, settings);
  }
}

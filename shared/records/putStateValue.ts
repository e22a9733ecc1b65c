import { ConflictError } from '../model/errors';
import { StateStore } from '../ports/StateStore';
import { StateKey } from '../model/identifiers';

/**
 * Writes a value lethe derives again on resume (a manifest, a plan, a report): create it, or replace
 * the version just read. Never blind: a concurrent writer makes it read again.
 */
export async function putStateValue(state: StateStore, key: StateKey, body: string | Buffer): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const existing = await state.read(key);
    try {
      if (existing) await state.replace(key, body, existing.etag);
      else await state.create(key, body);
      return;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= 5) throw error;
    }
  }
}

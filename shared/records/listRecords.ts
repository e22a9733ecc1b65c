import { StateStore } from '../ports/StateStore';
import { StateKey } from '../model/identifiers';

/** Reads and parses every JSON record under a prefix; one deleted between list and read is skipped. */
export async function listRecords<T>(state: StateStore, prefix: StateKey, parse: (input: unknown, where: string) => T): Promise<T[]> {
  const records: T[] = [];
  for await (const key of state.list(prefix)) {
    const stored = await state.read(key);
    if (stored) records.push(parse(JSON.parse(stored.body.toString('utf8')), key));
  }
  return records;
}

import { parseMatch } from '../model/match';
import { checkMatchesFitMappers } from '../queue/checkMatchesFitMappers';
import { NewQueueItem, enqueueMatches } from '../queue/deletionQueue';
import { Runtime } from './Runtime';

export interface EnqueueOptions {
  /** Data mappers the matches apply to; every mapper when absent. */
  mappers?: string[];
}

/**
 * The Node API's `lethe enqueue`: each match is a value (`"17"`, `"ann@x.org"`) or a composite
 * (`{ first_name: 'Ann', last_name: 'Lee' }`). The whole call is refused, nothing queued, when one
 * match is malformed or fits no mapper it names.
 */
export async function enqueue(runtime: Runtime, matches: readonly unknown[], options: EnqueueOptions = {}): Promise<{ batchId: string; count: number }> {
  const mappers = options.mappers && options.mappers.length > 0 ? options.mappers : undefined;
  const items: NewQueueItem[] = matches.map((match, i) => ({ match: parseMatch(match, `match #${i + 1}`), ...(mappers ? { mappers } : {}) }));
  checkMatchesFitMappers(items, runtime.config.dataMappers);
  return enqueueMatches(runtime.ports.state, items);
}

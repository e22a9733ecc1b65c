import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../../shared/model/errors';
import { MAPPER_ID_PATTERN } from '../../shared/model/dataMapper';
import { parseMatch } from '../../shared/model/match';
import { hmacMatch, shortHash } from '../../shared/privacy/hmacMatch';
import { NewQueueItem, enqueueMatches, listQueue, removeQueueItems } from '../../shared/queue/deletionQueue';
import { matchFileFormat, parseMatchFile } from '../../shared/queue/parseMatchFile';
import { CliContext } from '../cliContext';

export interface EnqueueArgs {
  ids: string[];
  file?: string;
  composite: string[];
  mappers: string[];
}

/** lethe enqueue: IDs from arguments, --composite a=1,b=x, or --file (txt, csv, jsonl). */
export async function enqueueCommand(context: CliContext, args: EnqueueArgs): Promise<void> {
  const config = await context.loadConfig();
  for (const mapper of args.mappers) {
    if (!MAPPER_ID_PATTERN.test(mapper) || !config.dataMappers.some((m) => m.id === mapper)) {
      throw new InputError(`--mapper "${mapper}": no such data mapper (configured: ${config.dataMappers.map((m) => m.id).join(', ') || 'none'})`);
    }
  }
  const mappers = args.mappers.length > 0 ? args.mappers : undefined;
  const items: NewQueueItem[] = [];
  args.ids.forEach((id, i) => items.push({ match: parseMatch(id, `match ID #${i + 1}`), ...(mappers ? { mappers } : {}) }));
  args.composite.forEach((spec, i) => items.push({ match: parseMatch(parseCompositeSpec(spec, i), `--composite #${i + 1}`), ...(mappers ? { mappers } : {}) }));
  if (args.file) {
    const text = await readFile(args.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new InputError(`--file ${args.file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
    });
    // A loop, not push(...spread): a file may hold millions of IDs, more than a call's arguments.
    for (const item of parseMatchFile(text, matchFileFormat(args.file), path.basename(args.file), mappers)) items.push(item);
  }
  const { ports } = await context.ports();
  const batch = await enqueueMatches(ports.state, items);
  context.print(batch, `enqueued ${batch.count} match IDs (batch ${batch.batchId})`);
}

function parseCompositeSpec(spec: string, index: number): Record<string, string> {
  const columns: Record<string, string> = {};
  for (const part of spec.split(',')) {
    const equals = part.indexOf('=');
    if (equals <= 0) throw new InputError(`--composite #${index + 1}: expected column=value pairs separated by commas`);
    columns[part.slice(0, equals).trim()] = part.slice(equals + 1);
  }
  return columns;
}

/** lethe queue list: a page of the queue, each item by its HMAC, never the raw ID. */
export async function queueListCommand(context: CliContext, page: { offset: number; limit: number }): Promise<void> {
  const { ports } = await context.ports();
  const key = await context.hmacKey();
  const { items, total } = await listQueue(ports.state, page);
  const shown = items.map((item) => ({
    id: item.id,
    matchHash: hmacMatch(key, item.match),
    kind: item.match.kind,
    ...(item.match.kind === 'composite' ? { columns: Object.keys(item.match.columns) } : {}),
    mappers: item.mappers ?? 'all',
    createdAt: item.createdAt,
  }));
  const lines = shown.map((i) => `${i.id}  ${shortHash(i.matchHash)}  ${i.kind}${'columns' in i ? `(${i.columns!.join(',')})` : ''}  mappers=${Array.isArray(i.mappers) ? i.mappers.join(',') : i.mappers}  ${i.createdAt}`);
  const footer = `${total} items in the queue${total > items.length ? `; showing ${page.offset + 1}-${page.offset + items.length} (use --offset/--limit)` : ''}`;
  context.print({ total, offset: page.offset, items: shown }, [...lines, footer].join('\n'));
}

export async function queueRemoveCommand(context: CliContext, ids: string[]): Promise<void> {
  if (ids.length === 0) throw new InputError('queue remove: name at least one item id (see lethe queue list)');
  const { ports } = await context.ports();
  const missing = await removeQueueItems(ports.state, ids);
  if (missing.length > 0) throw new InputError(`queue remove: no such item${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
  context.print({ removed: ids }, `removed ${ids.length} item${ids.length > 1 ? 's' : ''}`);
}

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { buffer as readAll } from 'node:stream/consumers';
import { decodeUtf8 } from '../../shared/model/decodeUtf8';
import { InputError } from '../../shared/model/errors';
import { MAPPER_ID_PATTERN } from '../../shared/model/dataMapper';
import { parseMatch } from '../../shared/model/match';
import { hmacMatch, shortHash } from '../../shared/privacy/hmacMatch';
import { NewQueueItem, enqueueMatches, listQueue, removeQueueItems } from '../../shared/queue/deletionQueue';
import { checkMatchesFitMappers } from '../../shared/queue/checkMatchesFitMappers';
import { MatchFileFormat, matchFileFormat, parseMatchFile } from '../../shared/queue/parseMatchFile';
import { CliContext } from '../cliContext';

export interface EnqueueArgs {
  ids: string[];
  /** A path, or `-` for standard input. */
  file?: string;
  /** txt, csv or jsonl; required for standard input, otherwise it overrides the file's extension. */
  format?: string;
  composite: string[];
  mappers: string[];
}

/** `--file -`: read the match IDs from standard input, so a script can pipe them in. */
const STANDARD_INPUT = '-';
const MATCH_FILE_FORMATS: readonly MatchFileFormat[] = ['txt', 'csv', 'jsonl'];
const FORMAT_CHOICES = 'txt, csv or jsonl';

/** lethe enqueue: IDs from arguments, --composite a=1,b=x, or --file (txt, csv, jsonl; - for stdin). */
export async function enqueueCommand(context: CliContext, args: EnqueueArgs): Promise<void> {
  const config = await context.loadConfig();
  for (const mapper of args.mappers) {
    if (!MAPPER_ID_PATTERN.test(mapper) || !config.dataMappers.some((m) => m.id === mapper)) {
      throw new InputError(`--mapper "${mapper}": no such data mapper (configured: ${config.dataMappers.map((m) => m.id).join(', ') || 'none'})`);
    }
  }
  const mappers = args.mappers.length > 0 ? args.mappers : undefined;
  const items: NewQueueItem[] = [];
  args.ids.forEach((id, i) => {
    const where = `match ID #${i + 1}`;
    items.push({ match: parseMatch(id, where), where, ...(mappers ? { mappers } : {}) });
  });
  args.composite.forEach((spec, i) => {
    const where = `--composite #${i + 1}`;
    items.push({ match: parseMatch(parseCompositeSpec(spec, i), where), where, ...(mappers ? { mappers } : {}) });
  });
  if (args.format !== undefined && !args.file) throw new InputError(`--format ${args.format}: applies to --file only`);
  if (args.file) {
    const format = matchFileFormatOf(args.file, args.format);
    const { text, name } = await readMatchFile(args.file);
    // A loop, not push(...spread): a file may hold millions of IDs, more than a call's arguments.
    for (const item of parseMatchFile(text, format, name, mappers)) items.push(item);
  }
  checkMatchesFitMappers(items, config.dataMappers);
  const { ports } = await context.runtime();
  const batch = await enqueueMatches(ports.state, items);
  context.print(batch, `enqueued ${batch.count} match IDs (batch ${batch.batchId})`);
}

/** --format when given; otherwise the file's extension. Standard input has no name, so it needs --format. */
function matchFileFormatOf(file: string, format: string | undefined): MatchFileFormat {
  if (format === undefined) {
    if (file === STANDARD_INPUT) throw new InputError(`--file -: standard input has no file name to tell its format: add --format ${FORMAT_CHOICES}`);
    return matchFileFormat(file);
  }
  const known = MATCH_FILE_FORMATS.find((f) => f === format);
  if (!known) throw new InputError(`--format ${format}: expected ${FORMAT_CHOICES}`);
  return known;
}

/** The whole text and the name errors call it by (never a line's content: it may be personal data). */
async function readMatchFile(file: string): Promise<{ text: string; name: string }> {
  if (file === STANDARD_INPUT) return { text: decodeUtf8(await readAll(process.stdin), 'standard input'), name: 'standard input' };
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`--file ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  const name = path.basename(file);
  return { text: decodeUtf8(bytes, name), name };
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
  const { ports } = await context.runtime();
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
  const { ports } = await context.runtime();
  const missing = await removeQueueItems(ports.state, ids);
  if (missing.length > 0) throw new InputError(`queue remove: no such item${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
  context.print({ removed: ids }, `removed ${ids.length} item${ids.length > 1 ? 's' : ''}`);
}

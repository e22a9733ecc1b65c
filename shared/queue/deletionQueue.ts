import { randomBytes } from 'node:crypto';
import { decodeUtf8Lines } from '../model/decodeUtf8';
import { JsonLinesBuffer } from '../model/jsonLinesBuffer';
import { ConflictError, InputError } from '../model/errors';
import { QueueSnapshotEntry } from '../model/job';
import { Match, QueueItem, parseQueueItem, parseWrittenQueueLine, queueItemFromCheckedJson, queueItemToJson } from '../model/match';
import { StateStore } from '../ports/StateStore';
import { QUEUE_PREFIX, isQueueBatchKey, queueBatchIdOf, queueBatchKey } from '../records/stateKeys';
import { ETag, StateKey } from '../model/identifiers';

export interface NewQueueItem {
  match: Match;
  mappers?: string[];
  /** Where the item came from (`ids.csv row 3`), for error messages; never stored. */
  where?: string;
}

/** Writes one batch (queue/<batchId>.jsonl) holding every item of one enqueue call; returns the items. */
export async function enqueueMatches(state: StateStore, entries: readonly NewQueueItem[], now = new Date()): Promise<{ batchId: string; count: number }> {
  if (entries.length === 0) throw new InputError('nothing to enqueue: give at least one match ID');
  const batchId = `${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
  const createdAt = now.toISOString();
  // Written as UTF-8 line by line: a million items are not a million strings and their join.
  const batch = new JsonLinesBuffer();
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const line = JSON.stringify(queueItemToJson({ id: `${batchId}.${i}`, match: entry.match, ...(entry.mappers ? { mappers: entry.mappers } : {}), createdAt }));
    // The reader's own checks, before anything is written: an item every job start would refuse must not block the queue.
    if (!parseWrittenQueueLine(line)) parseQueueItem(JSON.parse(line), `match ${i + 1}`);
    batch.append(line);
  }
  await state.create(queueBatchKey(batchId), batch.text());
  return { batchId, count: entries.length };
}

/** Batch keys in key order, which S3 lists in and a directory may not: time-prefixed ids make it arrival order. */
export async function listQueueBatches(state: StateStore): Promise<StateKey[]> {
  const keys: StateKey[] = [];
  for await (const key of state.list(QUEUE_PREFIX)) if (isQueueBatchKey(key)) keys.push(key);
  return keys.sort();
}

/**
 * One batch as docs/queue-format.md defines it, which producers other than lethe write too. Errors
 * name the object and line, never the line's content: it holds match IDs.
 */
export function parseBatch(body: Uint8Array, key: StateKey): QueueItem[] {
  return [...batchItems(body, key)];
}

/**
 * The items of one batch, parsed one line at a time as they are taken. `checked`: these bytes passed
 * every check before (the snapshot's read of the same ETag), so lines are only converted.
 */
function* batchItems(body: Uint8Array, key: StateKey, checked = false): Generator<QueueItem> {
  const batchId = queueBatchIdOf(key);
  if (!batchId) throw new InputError(`${key}: a batch is named queue/<batchId>.jsonl, the batch id of letters, digits, _ and -`);
  const idPrefix = `${batchId}.`;
  const seen = new Set<string | number>();
  let lineNumber = 0;
  for (const line of decodeUtf8Lines(body, key)) {
    lineNumber++;
    const written = parseWrittenQueueLine(line);
    if (!written && line.trim().length === 0) continue;
    if (checked) {
      yield written ?? queueItemFromCheckedJson(JSON.parse(line));
      continue;
    }
    const where = `${key} line ${lineNumber}`;
    const item = written ?? parseQueueItemJson(line, where);
    // `queue remove` finds an item's batch by this prefix.
    const number = item.id.slice(idPrefix.length);
    if (!item.id.startsWith(idPrefix) || !/^\d+$/.test(number)) {
      throw new InputError(`${where}.id: "${item.id}" is not ${batchId}.<n>`);
    }
    const seenKey = itemNumberKey(number);
    if (seen.has(seenKey)) throw new InputError(`${where}.id: "${item.id}" is also on an earlier line`);
    seen.add(seenKey);
    yield item;
  }
}

function parseQueueItemJson(line: string, where: string): QueueItem {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new InputError(`${where}: not valid JSON`);
  }
  return parseQueueItem(json, where);
}

/** An item's number as a set key: a number when that is exact and one spelling (no leading zero), else its digits. */
function itemNumberKey(digits: string): string | number {
  return digits.length <= 15 && (digits.length === 1 || digits[0] !== '0') ? Number(digits) : digits;
}

export async function readBatch(state: StateStore, key: StateKey): Promise<{ items: QueueItem[]; etag: ETag } | undefined> {
  const stored = await state.read(key);
  return stored ? { items: parseBatch(stored.body, key), etag: stored.etag } : undefined;
}

/** Every item in the queue, oldest first, optionally a page of it. */
export async function listQueue(state: StateStore, page: { offset: number; limit: number } = { offset: 0, limit: Number.MAX_SAFE_INTEGER }): Promise<{ items: QueueItem[]; total: number }> {
  const items: QueueItem[] = [];
  let total = 0;
  for (const key of await listQueueBatches(state)) {
    const batch = await readBatch(state, key);
    if (!batch) continue;
    for (const item of batch.items) {
      if (total >= page.offset && items.length < page.limit) items.push(item);
      total++;
    }
  }
  return { items, total };
}

/** The queue as a job takes it: each batch with the version read, every item checked and counted (none held). */
export async function snapshotQueue(state: StateStore): Promise<{ entries: QueueSnapshotEntry[]; count: number }> {
  const entries: QueueSnapshotEntry[] = [];
  let count = 0;
  for (const key of await listQueueBatches(state)) {
    const stored = await state.read(key);
    if (!stored) continue;
    let items = 0;
    for (const _item of batchItems(stored.body, key)) items++;
    if (items === 0) continue;
    entries.push({ key, etag: stored.etag, items });
    count += items;
  }
  return { entries, count };
}

/**
 * The items of a snapshot, re-read, one batch at a time, each parsed line by line as its items are
 * taken: a job never holds a large queue's items whole. Items removed since the snapshot are left
 * out. Enqueue never appends to an existing batch, so a batch holds no item the snapshot did not.
 */
export async function* readQueueSnapshot(state: StateStore, snapshot: readonly QueueSnapshotEntry[]): AsyncGenerator<Iterable<QueueItem>> {
  for (const entry of snapshot) {
    const stored = await state.read(entry.key);
    if (stored) yield batchItems(stored.body, entry.key, stored.etag === entry.etag);
  }
}

/**
 * Removes items by id, rewriting each batch that holds one with If-Match (a concurrent change makes it
 * re-read). Returns the ids not found.
 */
export async function removeQueueItems(state: StateStore, ids: readonly string[]): Promise<string[]> {
  const wanted = new Set(ids);
  const found = new Set<string>();
  for (const key of new Set(ids.map((id) => queueBatchKey(id.split('.')[0]!)))) {
    for (const item of await filterBatch(state, key, (i) => !wanted.has(i.id))) if (wanted.has(item.id)) found.add(item.id);
  }
  return ids.filter((id) => !found.has(id));
}

/**
 * Cleanup after a job: removes the snapshot's items except those in `keep` (matches that applied
 * nowhere stay queued), deleting a batch that keeps none.
 */
export async function removeProcessedItems(state: StateStore, snapshot: readonly QueueSnapshotEntry[], keep: ReadonlySet<string> = new Set()): Promise<void> {
  for (const entry of snapshot) {
    // Nothing kept and the batch as the snapshot read it: delete it whole, without parsing it again.
    if (keep.size === 0 && (await deleteIfUnchanged(state, entry))) continue;
    await filterBatch(state, entry.key, (item) => keep.has(item.id));
  }
}

async function deleteIfUnchanged(state: StateStore, entry: QueueSnapshotEntry): Promise<boolean> {
  try {
    await state.delete(entry.key, entry.etag);
    return true;
  } catch (error) {
    if (error instanceof ConflictError) return false;
    throw error;
  }
}

/**
 * Rewrites one batch with only the items `keeps` accepts, or deletes it when none stay, with
 * If-Match: a concurrent change makes it re-read. Enqueue never appends to a batch, so a re-read
 * holds no item the first read did not. Returns the items the batch held.
 */
async function filterBatch(state: StateStore, key: StateKey, keeps: (item: QueueItem) => boolean): Promise<QueueItem[]> {
  for (let attempt = 0; ; attempt++) {
    const batch = await readBatch(state, key);
    if (!batch) return [];
    const kept = batch.items.filter(keeps);
    if (kept.length === batch.items.length) return batch.items;
    try {
      if (kept.length === 0) await state.delete(key, batch.etag);
      else await state.replace(key, kept.map((item) => JSON.stringify(queueItemToJson(item))).join('\n') + '\n', batch.etag);
      return batch.items;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt > 10) throw error;
    }
  }
}

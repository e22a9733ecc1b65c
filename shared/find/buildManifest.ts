import { SkippedMatch } from '../records/jobPlan';
import { ResolvedColumn, describeColumnType } from '../model/columnType';
import { sameColumnName } from '../model/dataMapper';
import { ManifestRow } from '../model/manifest';
import { MatchHash, QueueItem } from '../model/match';
import { hmacMatch } from '../privacy/hmacMatch';
import { MatchColumnSet } from '../ports/QueryExecutor';
import { castMatchValue } from './castMatchValue';

/** What became of one queue item's match at one mapper: the columns it was applied to, or why none. */
export type MapperMatchOutcome = { item: string; columns: string[] } | { item: string; reason: string };

export interface MapperManifest {
  rows: ManifestRow[];
  matchSets: MatchColumnSet[];
  skipped: SkippedMatch[];
  /** One per queue item that targets this mapper. */
  outcomes: MapperMatchOutcome[];
  /** Queue items that apply to this mapper (before skipping). */
  applicable: number;
}

/** A queue item with its match's HMAC, computed once per job phase and shared by every mapper. */
export interface HashedQueueItem {
  item: QueueItem;
  matchHash: MatchHash;
}

export function hashQueueItems(items: readonly QueueItem[], hmacKey: Buffer): HashedQueueItem[] {
  return items.map((item) => ({ item, matchHash: hmacMatch(hmacKey, item.match) }));
}

/**
 * Casts each queue item that applies to a mapper against the mapper's columns. A simple match yields
 * one row per column it casts to; a composite one row for its columns together. A match that fits no
 * column is skipped for this mapper and reported, and the job goes on.
 */
export function buildManifest(items: readonly HashedQueueItem[], mapperId: string, columns: readonly ResolvedColumn[]): MapperManifest {
  const rows = new Map<string, ManifestRow>();
  const sets = new Map<string, MatchColumnSet>();
  const skipped: SkippedMatch[] = [];
  const outcomes: MapperMatchOutcome[] = [];
  const skip = (item: QueueItem, matchHash: MatchHash, reason: string) => {
    skipped.push({ matchHash, mapperId, reason });
    outcomes.push({ item: item.id, reason });
  };
  let applicable = 0;
  const add = (set: MatchColumnSet, values: string[], matchHash: MatchHash) => {
    sets.set(set.key, set);
    const id = JSON.stringify([set.key, values]);
    if (!rows.has(id)) rows.set(id, { match_columns: set.key, values, match_hash: matchHash });
  };
  for (const { item, matchHash } of items) {
    if (!appliesToMapper(item, mapperId)) continue;
    applicable++;
    if (item.match.kind === 'simple') {
      const value = item.match.value;
      const applied: string[] = [];
      for (const column of columns) {
        const cast = castMatchValue(value, column.type);
        if (cast === undefined) continue;
        add({ key: column.configured, columns: [column] }, [cast], matchHash);
        applied.push(column.configured);
      }
      if (applied.length === 0) skip(item, matchHash, `no column holds the value exactly: ${columns.map(describe).join(', ')}`);
      else outcomes.push({ item: item.id, columns: applied });
      continue;
    }
    const outcome = castComposite(item.match.columns, columns);
    if (typeof outcome === 'string') skip(item, matchHash, outcome);
    else {
      add(outcome.set, outcome.values, matchHash);
      outcomes.push({ item: item.id, columns: outcome.set.columns.map((c) => c.configured) });
    }
  }
  return { rows: [...rows.values()], matchSets: [...sets.values()], skipped, outcomes, applicable };
}

/** Whether a queue item targets a mapper: every mapper unless it names some. */
export function appliesToMapper(item: QueueItem, mapperId: string): boolean {
  return !item.mappers || item.mappers.includes(mapperId);
}

function castComposite(values: Readonly<Record<string, string>>, columns: readonly ResolvedColumn[]): string | { set: MatchColumnSet; values: string[] } {
  const picked: ResolvedColumn[] = [];
  const cast: string[] = [];
  for (const name of Object.keys(values).sort()) {
    const column = columns.find((c) => sameColumnName(c.configured, name));
    if (!column) return `composite column "${name}" is not one of the mapper's columns (${columns.map((c) => c.configured).join(', ')})`;
    const text = castMatchValue(values[name]!, column.type);
    if (text === undefined) return `composite column ${describe(column)} does not hold the given value exactly`;
    picked.push(column);
    cast.push(text);
  }
  return { set: { key: picked.map((c) => c.configured).join(','), columns: picked }, values: cast };
}

function describe(column: ResolvedColumn): string {
  return `"${column.configured}" (${column.type.kind === 'int' ? 'integer' : describeColumnType(column.type)})`;
}

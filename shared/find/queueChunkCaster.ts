import { ResolvedColumn, describeColumnType } from '../model/columnType';
import { sameColumnName } from '../model/dataMapper';
import { MatchHash, QueueItem } from '../model/match';
import { matchHasher } from '../privacy/hmacMatch';
import { MatchColumnSet } from '../ports/QueryExecutor';
import { SkippedMatch } from '../records/jobPlan';
import { castMatchValue } from './castMatchValue';
import { MapperFind } from './prepareMapperFind';

/** What one chunk of the queue adds to one mapper: manifest lines and the match sets they use. */
export interface MapperChunk {
  /** JSON Lines of ManifestRow, without the newline. */
  manifestLines: string[];
  /** In first-use order. */
  matchSets: MatchColumnSet[];
  /** Queue items of the chunk that target the mapper (before skipping). */
  applicable: number;
}

/** One chunk of the queue cast for every mapper, as the lines the find writes. */
export interface CastChunk {
  /** By mapper id, every mapper of the job. */
  mappers: Map<string, MapperChunk>;
  /** JSON Lines of MatchAccount, one per item, in queue order, without the newline. */
  accountLines: string[];
  skipped: SkippedMatch[];
  /** Items whose match applied to no column of any mapper. */
  unapplied: number;
}

type Cast = { columns: string[]; rows: Array<{ set: MatchColumnSet; values: string[] }> } | { reason: string };

/**
 * Hashes each queue item's match once and casts it against each mapper it targets (every mapper of
 * the job unless it names some): a simple match is compared with every column it casts to, a
 * composite with its columns together; one that fits no column is skipped for that mapper, and a
 * mapper the job lacks counts as not applied. A location without a data object takes every match,
 * vacuously (it holds no row of anyone). The lines are built as text in one pass, with no object per
 * row kept: a queue of a million items is cast in chunks at the cost of the casts and the hashes.
 */
export function castQueueChunk(finds: readonly MapperFind[], items: readonly QueueItem[], hmacKey: Buffer): CastChunk {
  const byId = new Map(finds.map((find) => [find.mapper.id, find]));
  const everyMapper = finds.map((find) => find.mapper.id);
  const mappers = new Map(finds.map((find): [string, MapperChunk & { setKeys: Set<string> }] => [find.mapper.id, { manifestLines: [], matchSets: [], applicable: 0, setKeys: new Set() }]));
  const fragments = new Map<string, string>();
  const appliedFragment = (mapperId: string, columns: readonly string[]) => {
    const key = `${mapperId}\u0000${columns.join('\u0000')}`;
    let fragment = fragments.get(key);
    if (fragment === undefined) fragments.set(key, (fragment = JSON.stringify({ mapperId, columns })));
    return fragment;
  };
  const hashMatch = matchHasher(hmacKey);
  const accountLines: string[] = new Array(items.length);
  const skipped: SkippedMatch[] = [];
  let unapplied = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const matchHash = hashMatch(item.match);
    const applied: string[] = [];
    const notApplied: string[] = [];
    for (const mapperId of item.mappers ?? everyMapper) {
      const find = byId.get(mapperId);
      const chunk = mappers.get(mapperId);
      if (!find || !chunk) {
        notApplied.push(JSON.stringify({ mapperId, reason: `no data mapper "${mapperId}" in this job` }));
        continue;
      }
      chunk.applicable++;
      const cast = castForMapper(find, item);
      if ('reason' in cast) {
        skipped.push({ matchHash, mapperId, reason: cast.reason });
        notApplied.push(JSON.stringify({ mapperId, reason: cast.reason }));
        continue;
      }
      for (const { set, values } of cast.rows) {
        if (!chunk.setKeys.has(set.key)) {
          chunk.setKeys.add(set.key);
          chunk.matchSets.push(set);
        }
        chunk.manifestLines.push(manifestLine(set.key, values, matchHash));
      }
      applied.push(appliedFragment(mapperId, cast.columns));
    }
    if (applied.length === 0) unapplied++;
    accountLines[i] = `{"item":${JSON.stringify(item.id)},"matchHash":"${matchHash}","appliedTo":[${applied.join(',')}],"notApplied":[${notApplied.join(',')}]}`;
  }
  return { mappers: new Map([...mappers].map(([id, { manifestLines, matchSets, applicable }]) => [id, { manifestLines, matchSets, applicable }])), accountLines, skipped, unapplied };
}

/** A ManifestRow as its JSON line. */
function manifestLine(matchColumns: string, values: readonly string[], matchHash: MatchHash): string {
  return `{"match_columns":${JSON.stringify(matchColumns)},"values":${JSON.stringify(values)},"match_hash":"${matchHash}"}`;
}

function castForMapper(find: MapperFind, item: QueueItem): Cast {
  if (!find.hasData) return { columns: [...find.mapper.columns], rows: [] };
  const { columns } = find;
  if (item.match.kind === 'composite') {
    const cast = castComposite(item.match.columns, columns);
    return typeof cast === 'string' ? { reason: cast } : { columns: cast.set.columns.map((c) => c.configured), rows: [cast] };
  }
  const applied: string[] = [];
  const rows: Array<{ set: MatchColumnSet; values: string[] }> = [];
  for (const column of columns) {
    const value = castMatchValue(item.match.value, column.type);
    if (value === undefined) continue;
    rows.push({ set: { key: column.configured, columns: [column] }, values: [value] });
    applied.push(column.configured);
  }
  if (applied.length === 0) return { reason: `no column holds the value exactly: ${columns.map(describe).join(', ')}` };
  return { columns: applied, rows };
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

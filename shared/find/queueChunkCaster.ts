import { ResolvedColumn, describeColumnType } from '../model/columnType';
import { sameColumnName } from '../model/dataMapper';
import { Match, MatchHash, QueueItem } from '../model/match';
import { matchHasher } from '../privacy/hmacMatch';
import { MatchColumnSet } from '../ports/QueryExecutor';
import { castMatchValue } from './castMatchValue';
import { JsonLinesBuffer } from '../model/jsonLinesBuffer';
import { MapperFind } from './prepareMapperFind';

/** What one chunk of the queue adds to one mapper: manifest lines and the match sets they use. */
export interface MapperChunk {
  /** JSON Lines of ManifestRow, each ending in a newline. */
  manifest: Buffer;
  manifestRows: number;
  /** In first-use order. */
  matchSets: MatchColumnSet[];
  /** Queue items of the chunk that target the mapper (before skipping). */
  applicable: number;
}

/** One chunk of the queue cast for every mapper, as the text the find writes. */
export interface CastChunk {
  items: number;
  /** By mapper id, every mapper of the job. */
  mappers: Map<string, MapperChunk>;
  /** JSON Lines of MatchAccount, one per item, in queue order, each ending in a newline. */
  accounts: Buffer;
  /** Matches skipped for a mapper, counted by mapper and reason in first-seen order (the accounts name each by hash). */
  skipped: SkipCount[];
  /** Items whose match applied to no column of any mapper. */
  unapplied: number;
}

/** How many matches of a chunk fit no column of a mapper, for one reason. */
export interface SkipCount {
  mapperId: string;
  /** Names columns and types, never a value. */
  reason: string;
  matches: number;
}

type Cast = { columns: string[]; rows: Array<{ set: MatchColumnSet; values: string[] }> } | { reason: string };

interface MapperState {
  find: MapperFind;
  manifest: JsonLinesBuffer;
  matchSets: MatchColumnSet[];
  setKeys: Set<string>;
  applicable: number;
  /** A simple match's set for each column, built once: one per manifest row was garbage. */
  columnSets: MatchColumnSet[];
  /** The configured columns, as castForMapper gives them when a match applies to every one. */
  everyColumn: string[];
}

/**
 * Hashes each queue item's match once and casts it against each mapper it targets (every mapper of
 * the job unless it names some): a simple match is compared with every column it casts to, a
 * composite with its columns together; one that fits no column is skipped for that mapper, and a
 * mapper the job lacks counts as not applied. A location without a data object takes every match,
 * vacuously (it holds no row of anyone). Items are added one at a time and their lines written as
 * UTF-8 at once, so a chunk holds bytes, not an object or string per item, and `take` hands over
 * the chunk: a queue of a million items costs the casts and the hashes, not their garbage.
 */
export class QueueChunkCaster {
  private readonly hashMatch: (match: Match) => MatchHash;
  private readonly everyMapper: string[];
  private readonly fragments = new Map<string, string>();
  private mappers = new Map<string, MapperState>();
  private accounts = new JsonLinesBuffer();
  private skipped = new Map<string, SkipCount>();
  private unapplied = 0;

  constructor(
    private readonly finds: readonly MapperFind[],
    hmacKey: Buffer,
  ) {
    this.hashMatch = matchHasher(hmacKey);
    this.everyMapper = finds.map((find) => find.mapper.id);
    this.reset();
  }

  /** Items added since the last take. */
  get items(): number {
    return this.accounts.lines;
  }

  add(item: QueueItem): void {
    const matchHash = this.hashMatch(item.match);
    let applied = '';
    let notApplied = '';
    for (const mapperId of item.mappers ?? this.everyMapper) {
      const mapper = this.mappers.get(mapperId);
      if (!mapper) {
        notApplied += `${notApplied ? ',' : ''}${JSON.stringify({ mapperId, reason: `no data mapper "${mapperId}" in this job` })}`;
        continue;
      }
      mapper.applicable++;
      const cast = castForMapper(mapper, item);
      if ('reason' in cast) {
        this.countSkip(mapperId, cast.reason);
        notApplied += `${notApplied ? ',' : ''}${JSON.stringify({ mapperId, reason: cast.reason })}`;
        continue;
      }
      for (const { set, values } of cast.rows) {
        if (!mapper.setKeys.has(set.key)) {
          mapper.setKeys.add(set.key);
          mapper.matchSets.push(set);
        }
        mapper.manifest.append(`{"match_columns":${JSON.stringify(set.key)},"values":${JSON.stringify(values)}}`);
      }
      applied += `${applied ? ',' : ''}${this.appliedFragment(mapperId, cast.columns)}`;
    }
    if (!applied) this.unapplied++;
    this.accounts.append(`{"item":${JSON.stringify(item.id)},"matchHash":"${matchHash}","appliedTo":[${applied}],"notApplied":[${notApplied}]}`);
  }

  /** The chunk cast since the last take; the caster starts a new one. */
  take(): CastChunk {
    const chunk: CastChunk = {
      items: this.items,
      mappers: new Map([...this.mappers].map(([id, m]) => [id, { manifest: m.manifest.text(), manifestRows: m.manifest.lines, matchSets: m.matchSets, applicable: m.applicable }])),
      accounts: this.accounts.text(),
      skipped: [...this.skipped.values()],
      unapplied: this.unapplied,
    };
    this.reset();
    return chunk;
  }

  private reset(): void {
    this.mappers = new Map(
      this.finds.map((find): [string, MapperState] => [
        find.mapper.id,
        {
          find,
          manifest: new JsonLinesBuffer(),
          matchSets: [],
          setKeys: new Set(),
          applicable: 0,
          columnSets: find.columns.map((column) => ({ key: column.configured, columns: [column] })),
          everyColumn: find.columns.map((column) => column.configured),
        },
      ]),
    );
    this.accounts = new JsonLinesBuffer();
    this.skipped = new Map();
    this.unapplied = 0;
  }

  private countSkip(mapperId: string, reason: string): void {
    const key = `${mapperId}\u0000${reason}`;
    const count = this.skipped.get(key);
    if (count) count.matches++;
    else this.skipped.set(key, { mapperId, reason, matches: 1 });
  }

  private appliedFragment(mapperId: string, columns: readonly string[]): string {
    // Most matches apply to every column: that list is one array per mapper, found by identity.
    const key = columns === this.mappers.get(mapperId)?.everyColumn ? mapperId : `${mapperId}\u0000${columns.join('\u0000')}`;
    let fragment = this.fragments.get(key);
    if (fragment === undefined) this.fragments.set(key, (fragment = JSON.stringify({ mapperId, columns })));
    return fragment;
  }
}

function castForMapper(mapper: MapperState, item: QueueItem): Cast {
  const { find } = mapper;
  if (!find.hasData) return { columns: [...find.mapper.columns], rows: [] };
  const { columns } = find;
  if (item.match.kind === 'composite') {
    const cast = castComposite(item.match.columns, columns);
    return typeof cast === 'string' ? { reason: cast } : { columns: cast.set.columns.map((c) => c.configured), rows: [cast] };
  }
  const applied: string[] = [];
  const rows: Array<{ set: MatchColumnSet; values: string[] }> = [];
  for (let i = 0; i < columns.length; i++) {
    const value = castMatchValue(item.match.value, columns[i]!.type);
    if (value === undefined) continue;
    rows.push({ set: mapper.columnSets[i]!, values: [value] });
    applied.push(columns[i]!.configured);
  }
  if (applied.length === 0) return { reason: `no column holds the value exactly: ${columns.map(describe).join(', ')}` };
  return { columns: applied.length === columns.length ? mapper.everyColumn : applied, rows };
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

import { JobId, StateKey } from '../model/identifiers';
import { DuckDBConnection } from '@duckdb/node-api';
import { MatchTableConnection, MatchTableSource, attachSharedMatchTables, dropSharedMatchTables, loadSharedMatchTables } from '../duckdb/matchTables';
import { LetheError, NotFoundError, errorMessage } from '../model/errors';
import { MatchColumnSet } from '../ports/QueryExecutor';
import { StateStore } from '../ports/StateStore';
import { scrubEngineMessage } from '../privacy/scrubEngineMessage';
import { readMatchSets } from '../records/matchSets';
import { mapperManifestPrefix } from '../records/stateKeys';

/**
 * A DuckDB connection holding the match tables of some mappers of one job, reused across the objects
 * those mappers share. `matchSets` lists every mapper's sets in table order, so one predicate over
 * them deletes the rows any of the mappers matches.
 */
export interface MatchSession extends MatchTableConnection {
  jobId: JobId;
  /** Sorted. */
  mapperIds: string[];
}

export async function openMatchSession(tables: MatchTableSource, jobId: JobId, mapperIds: readonly string[]): Promise<MatchSession> {
  const sorted = [...mapperIds].sort();
  return { jobId, mapperIds: sorted, ...(await tables.connect(jobId, sorted)) };
}

interface BuiltTables {
  schema: string;
  matchSets: MatchColumnSet[];
}

/**
 * The match tables of a process: each job's manifest is loaded once per set of mappers, into the
 * database every connection of the DuckDB instance shares, and every connection asking for it (each
 * forget slot, each find query) sees the same tables through views of its own. A queue of a million
 * matches is loaded once, not once per worker. Tables of another job are dropped when a job asks:
 * one job runs at a time, and clear match IDs stay in memory no longer than needed.
 */
export class SharedMatchTables implements MatchTableSource {
  private readonly built = new Map<string, { jobId: JobId; tables: Promise<BuiltTables> }>();
  private nextSchema = 0;

  constructor(
    private readonly state: StateStore,
    private readonly connectDuckDb: () => Promise<DuckDBConnection>,
  ) {}

  async connect(jobId: JobId, mapperIds: readonly string[]): Promise<MatchTableConnection> {
    await this.dropOtherJobs(jobId);
    const key = `${jobId}\n${[...mapperIds].sort().join('\n')}`;
    let entry = this.built.get(key);
    if (!entry) {
      entry = { jobId, tables: this.build(jobId, [...mapperIds].sort()) };
      this.built.set(key, entry);
      entry.tables.catch(() => this.built.delete(key));
    }
    const { schema, matchSets } = await entry.tables;
    const connection = await this.connectDuckDb();
    try {
      await attachSharedMatchTables(connection, schema, matchSets.length);
    } catch (error) {
      connection.closeSync();
      throw error;
    }
    return { matchSets, connection };
  }

  async release(): Promise<void> {
    const entries = [...this.built.values()];
    this.built.clear();
    await this.drop(entries);
  }

  private async dropOtherJobs(jobId: JobId): Promise<void> {
    const others = [...this.built.entries()].filter(([, entry]) => entry.jobId !== jobId);
    for (const [key] of others) this.built.delete(key);
    await this.drop(others.map(([, entry]) => entry));
  }

  private async drop(entries: ReadonlyArray<{ tables: Promise<BuiltTables> }>): Promise<void> {
    if (entries.length === 0) return;
    const connection = await this.connectDuckDb();
    try {
      for (const entry of entries) {
        const built = await entry.tables.catch(() => undefined);
        if (built) await dropSharedMatchTables(connection, built.schema);
      }
    } finally {
      connection.closeSync();
    }
  }

  private async build(jobId: JobId, mapperIds: readonly string[]): Promise<BuiltTables> {
    const schema = `lethe_matches_${this.nextSchema++}`;
    const matchSets: MatchColumnSet[] = [];
    const connection = await this.connectDuckDb();
    try {
      for (const mapperId of mapperIds) {
        const sets = await readMatchSets(this.state, jobId, mapperId);
        try {
          await loadSharedMatchTables(connection, schema, sets, this.manifestParts(jobId, mapperId), matchSets.length);
        } catch (error) {
          if (error instanceof LetheError) throw error;
          // DuckDB's message may quote the value it could not read: a match ID.
          throw new LetheError(`mapper "${mapperId}": loading the match tables of job ${jobId} failed: ${scrubEngineMessage(errorMessage(error))}`, { mapperId, jobId });
        }
        matchSets.push(...sets);
      }
      return { schema, matchSets };
    } catch (error) {
      await dropSharedMatchTables(connection, schema).catch(() => undefined);
      throw error;
    } finally {
      connection.closeSync();
    }
  }

  /** The mapper's manifest parts in the order written; none when no match applies to it. */
  private async *manifestParts(jobId: JobId, mapperId: string): AsyncGenerator<string> {
    const prefix = mapperManifestPrefix(jobId, mapperId);
    const keys: StateKey[] = [];
    for await (const key of this.state.list(prefix)) keys.push(key);
    for (const key of keys.sort()) {
      const stored = await this.state.read(key);
      if (!stored) throw new NotFoundError(`mapper "${mapperId}": manifest part ${this.state.describe(key)} is missing (was the job cleaned up?)`, { mapperId, jobId });
      yield stored.body.toString('utf8');
    }
  }
}

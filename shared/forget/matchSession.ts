import { JobId } from '../model/identifiers';
import { DuckDBConnection } from '@duckdb/node-api';
import { loadMatchTables } from '../duckdb/matchTables';
import { NotFoundError } from '../model/errors';
import { manifestKey } from '../records/stateKeys';
import { ManifestRow, parseManifest } from '../model/manifest';
import { MatchColumnSet } from '../ports/QueryExecutor';
import { StateStore } from '../ports/StateStore';
import { readMatchSets } from '../records/matchSets';

/**
 * A DuckDB connection holding the match tables of some mappers of one job, reused across the objects
 * those mappers share. `matchSets` lists every mapper's sets in table order, so one predicate over
 * them deletes the rows any of the mappers matches.
 */
export interface MatchSession {
  jobId: JobId;
  /** Sorted. */
  mapperIds: string[];
  matchSets: MatchColumnSet[];
  connection: DuckDBConnection;
}

export async function openMatchSession(state: StateStore, connect: () => Promise<DuckDBConnection>, jobId: JobId, mapperIds: readonly string[]): Promise<MatchSession> {
  const loaded: Array<{ mapperId: string; sets: MatchColumnSet[]; rows: ManifestRow[] }> = [];
  for (const mapperId of [...mapperIds].sort()) {
    const key = manifestKey(jobId, mapperId);
    const stored = await state.read(key);
    if (!stored) throw new NotFoundError(`mapper "${mapperId}": manifest ${state.describe(key)} is missing (was the job cleaned up?)`, { mapperId, jobId });
    loaded.push({ mapperId, sets: await readMatchSets(state, jobId, mapperId), rows: parseManifest(stored.body.toString('utf8'), key) });
  }
  const connection = await connect();
  try {
    let firstIndex = 0;
    for (const { sets, rows } of loaded) {
      await loadMatchTables(connection, sets, rows, firstIndex);
      firstIndex += sets.length;
    }
  } catch (error) {
    connection.closeSync();
    throw error;
  }
  return { jobId, mapperIds: loaded.map((l) => l.mapperId), matchSets: loaded.flatMap((l) => l.sets), connection };
}

import { DuckDBConnection } from '@duckdb/node-api';
import { loadMatchTables } from '../duckdb/matchTables';
import { NotFoundError } from '../model/errors';
import { manifestKey } from '../records/stateKeys';
import { parseManifest } from '../model/manifest';
import { MatchColumnSet } from '../ports/QueryExecutor';
import { StateStore } from '../ports/StateStore';
import { readMatchSets } from '../records/matchSets';

/** A DuckDB connection holding one mapper's match tables for one job, reused across its objects. */
export interface MatchSession {
  jobId: string;
  mapperId: string;
  matchSets: MatchColumnSet[];
  connection: DuckDBConnection;
}

export async function openMatchSession(state: StateStore, connect: () => Promise<DuckDBConnection>, jobId: string, mapperId: string): Promise<MatchSession> {
  const matchSets = await readMatchSets(state, jobId, mapperId);
  const key = manifestKey(jobId, mapperId);
  const stored = await state.read(key);
  if (!stored) throw new NotFoundError(`mapper "${mapperId}": manifest ${state.describe(key)} is missing (was the job cleaned up?)`, { mapperId, jobId });
  const connection = await connect();
  try {
    await loadMatchTables(connection, matchSets, parseManifest(stored.body.toString('utf8'), key));
  } catch (error) {
    connection.closeSync();
    throw error;
  }
  return { jobId, mapperId, matchSets, connection };
}

import { mkdtemp, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { closeDuckDb, openDuckDb } from '../../shared/duckdb/openDuckDb';
import { quoteLiteral } from '../../shared/duckdb/sqlText';
import { DEFAULT_SETTINGS } from '../../shared/model/settings';
import { rewriteObject } from '../../shared/rewrite/rewriteObject';
import { loadCustomerIds } from '../benchMatchSets';
import { BenchData, CODEC, ROW_GROUP_ROWS } from '../generateBenchData';
import { MB, timeSideBySide } from '../measure';
import { CaseResult } from './caseResult';
import { parseObjectUri } from '../../shared/model/identifiers';

export const GOAL_RATIO = 1.15;

/**
 * Case 1: lethe's rewrite of one large Parquet file (count, COPY without the matching rows, read-back
 * checks) against a plain DuckDB COPY of the same file with the same codec and row-group size, both
 * on one DuckDB with lethe's default memory limit and threads.
 */
export async function rewriteLargeParquet(data: BenchData, rounds: number, scratchRoot: string): Promise<CaseResult> {
  const scratch = await mkdtemp(path.join(scratchRoot, 'rewrite-'));
  const duckdb = await openDuckDb({ memoryLimit: DEFAULT_SETTINGS.duckdbMemoryLimit, threads: DEFAULT_SETTINGS.duckdbThreads, tempDirectory: path.join(scratch, 'duckdb') });
  const { connection } = duckdb;
  const { large } = data;
  const letheOut = path.join(scratch, 'lethe.parquet');
  const baselineOut = path.join(scratch, 'baseline.parquet');
  try {
    const matchSets = await loadCustomerIds(connection, large.matchIds);
    let rowsDeleted = 0;
    let outputBytes = 0;
    const timing = await timeSideBySide(rounds, {
      prepare: async () => {
        await rm(letheOut, { force: true });
        await rm(baselineOut, { force: true });
      },
      baseline: async () => {
        await connection.run(
          `COPY (SELECT * FROM read_parquet(${quoteLiteral(large.file)})) TO ${quoteLiteral(baselineOut)} (FORMAT parquet, COMPRESSION ${CODEC}, ROW_GROUP_SIZE ${ROW_GROUP_ROWS})`,
        );
      },
      lethe: async () => {
        const result = await rewriteObject(connection, {
          format: 'parquet',
          inputFile: large.file,
          outputFile: letheOut,
          matchSets,
          tempDirectory: scratch,
          context: { mapperId: 'bench', object: parseObjectUri(large.file) },
        });
        rowsDeleted = result.rowsDeleted;
        outputBytes = (await stat(letheOut)).size;
      },
    });
    if (rowsDeleted !== large.matchIds.length) throw new Error(`rewrite deleted ${rowsDeleted} rows, expected ${large.matchIds.length}`);
    const ratio = timing.ratio;
    return {
      id: 'rewriteLargeParquet',
      title: `rewrite ${Math.round(large.bytes / MB)} MB Parquet, ${rowsDeleted} rows deleted`,
      unit: 's',
      lethe: timing.lethe,
      baseline: timing.baseline,
      baselineName: 'DuckDB COPY, same codec and row groups',
      ratio,
      goal: `ratio <= ${GOAL_RATIO}`,
      met: ratio <= GOAL_RATIO,
      figures: { fileBytes: large.bytes, rows: large.rows, rowsDeleted, outputBytes, letheMBps: large.bytes / MB / timing.lethe.median, baselineMBps: large.bytes / MB / timing.baseline.median },
    };
  } finally {
    closeDuckDb(duckdb);
    await rm(scratch, { recursive: true, force: true });
  }
}

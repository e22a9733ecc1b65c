import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { quoteLiteral } from '../../shared/duckdb/sqlText';
import { runFindPhase } from '../../shared/job/findPhase';
import { startJob } from '../../shared/job/startJob';
import { readQueueSnapshot } from '../../shared/queue/deletionQueue';
import { BenchData } from '../generateBenchData';
import { MB, timeSideBySide } from '../measure';
import { enqueueIds, openBenchLethe } from '../openBenchLethe';
import { CaseResult } from './caseResult';

export const GOAL_RATIO = 1.25;

/**
 * Case 3: lethe's find phase (manifest, match tables, one query per year) with 10,000 match IDs over
 * the partitioned lake, against one plain scan of the match column over the same files on the same
 * DuckDB instance.
 */
export async function findInLake(data: BenchData, rounds: number, scratchRoot: string): Promise<CaseResult> {
  const scratch = await mkdtemp(path.join(scratchRoot, 'find-'));
  const lethe = await openBenchLethe(data.lake.tableDir, path.join(scratch, 'state'));
  const { ports } = lethe;
  try {
    await enqueueIds(lethe, data.lake.matchIds);
    const job = await startJob(ports.state, lethe.config, 'bench');
    const items = await readQueueSnapshot(ports.state, job.queue);
    const hmacKey = await lethe.hmacKey();
    const files = `[${data.lake.files.map(quoteLiteral).join(', ')}]`;
    let objectsFound = 0;
    let baselineFiles = 0;
    const timing = await timeSideBySide(rounds, {
      baseline: async () => {
        const connection = await lethe.workerOptions.connect();
        try {
          const result = await connection.runAndReadAll(`SELECT count(DISTINCT filename) AS files, count(customer_id) AS ids FROM read_parquet(${files}, filename = true)`);
          baselineFiles = Number(result.getRowObjectsJS()[0]?.files);
        } finally {
          connection.closeSync();
        }
      },
      lethe: async () => {
        const plan = await runFindPhase(ports, job, items, hmacKey);
        objectsFound = plan.objects.length;
      },
    });
    if (objectsFound !== data.lake.files.length || baselineFiles !== data.lake.files.length) {
      throw new Error(`find found ${objectsFound} objects and the scan ${baselineFiles}, expected ${data.lake.files.length}`);
    }
    const ratio = timing.ratio;
    return {
      id: 'findInLake',
      title: `find ${data.lake.matchIds.length} IDs in a ${Math.round(data.lake.bytes / MB)} MB lake of ${data.lake.files.length} files`,
      unit: 's',
      lethe: timing.lethe,
      baseline: timing.baseline,
      baselineName: 'plain scan of customer_id',
      ratio,
      goal: `ratio <= ${GOAL_RATIO}`,
      met: ratio <= GOAL_RATIO,
      figures: { lakeBytes: data.lake.bytes, lakeRows: data.lake.rows, files: data.lake.files.length, matchIds: data.lake.matchIds.length, objectsFound },
    };
  } finally {
    await lethe.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

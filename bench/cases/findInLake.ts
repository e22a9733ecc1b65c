import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { quoteLiteral } from '../../shared/duckdb/sqlText';
import { runFindStep } from '../../shared/job/findPhase';
import { startJob } from '../../shared/job/startJob';
import { BenchData } from '../generateBenchData';
import { MB, timeSideBySide } from '../measure';
import { enqueueIds, openBenchLethe } from '../openBenchLethe';
import { CaseResult } from './caseResult';

export const GOAL_RATIO = 1.25;
export const GOAL_BY_HAND = 1.2;

/**
 * Case 3: lethe's find as a job runs it (FindStarted, lake listed and described, queue cast and
 * hashed, manifest and match accounts written, match tables loaded, one query over the table,
 * plan.json, FindFinished) with 10,000 match IDs over the partitioned lake, on the same DuckDB
 * instance against (1) what a user would write by hand,
 * `SELECT DISTINCT filename ... WHERE customer_id IN (SELECT ...)` with the IDs read from a file, and
 * (2) one plain scan of the match column, which no erasure can match (kept as a floor).
 */
export async function findInLake(data: BenchData, rounds: number, scratchRoot: string): Promise<CaseResult[]> {
  const scratch = await mkdtemp(path.join(scratchRoot, 'find-'));
  const lethe = await openBenchLethe(data.lake.tableDir, path.join(scratch, 'state'));
  const { ports } = lethe;
  try {
    await enqueueIds(lethe, data.lake.matchIds);
    const job = await startJob(ports.state, lethe.config, 'bench');
    const hmacKey = await lethe.hmacKey();
    const files = `[${data.lake.files.map(quoteLiteral).join(', ')}]`;
    const idsFile = path.join(scratch, 'ids.csv');
    await writeFile(idsFile, `${data.lake.matchIds.join('\n')}\n`);
    let objectsFound = 0;
    let baselineFiles = 0;
    let handFiles = 0;
    const findLethe = async () => {
      // Each round loads its match tables afresh from the manifest it writes, as a new job would.
      await ports.queries.close();
      const { plan } = await runFindStep(ports, job, hmacKey);
      objectsFound = plan.objects.length;
    };
    const byHand = await timeSideBySide(rounds, {
      baseline: async () => {
        const connection = await lethe.connect();
        try {
          const ids = `SELECT id FROM read_csv(${quoteLiteral(idsFile)}, header = false, columns = {'id': 'BIGINT'})`;
          const result = await connection.runAndReadAll(`SELECT DISTINCT filename FROM read_parquet(${files}, filename = true) WHERE customer_id IN (${ids})`);
          handFiles = result.getRowObjectsJS().length;
        } finally {
          connection.closeSync();
        }
      },
      lethe: findLethe,
    });
    const timing = await timeSideBySide(rounds, {
      baseline: async () => {
        const connection = await lethe.connect();
        try {
          const result = await connection.runAndReadAll(`SELECT count(DISTINCT filename) AS files, count(customer_id) AS ids FROM read_parquet(${files}, filename = true)`);
          baselineFiles = Number(result.getRowObjectsJS()[0]?.files);
        } finally {
          connection.closeSync();
        }
      },
      lethe: findLethe,
    });
    if (objectsFound !== data.lake.files.length || baselineFiles !== data.lake.files.length || handFiles !== data.lake.files.length) {
      throw new Error(`find found ${objectsFound} objects, the query by hand ${handFiles} and the scan ${baselineFiles}, expected ${data.lake.files.length}`);
    }
    const title = `find ${data.lake.matchIds.length} IDs in a ${Math.round(data.lake.bytes / MB)} MB lake of ${data.lake.files.length} files`;
    const figures = { lakeBytes: data.lake.bytes, lakeRows: data.lake.rows, files: data.lake.files.length, matchIds: data.lake.matchIds.length, objectsFound };
    const ratio = timing.ratio;
    return [{
      id: 'findByHand',
      title,
      unit: 's',
      lethe: byHand.lethe,
      baseline: byHand.baseline,
      baselineName: 'SELECT DISTINCT filename ... WHERE id IN (SELECT ...)',
      ratio: byHand.ratio,
      goal: `ratio <= ${GOAL_BY_HAND}`,
      met: byHand.ratio <= GOAL_BY_HAND,
      figures,
    }, {
      id: 'findInLake',
      title,
      unit: 's',
      lethe: timing.lethe,
      baseline: timing.baseline,
      baselineName: 'plain scan of customer_id',
      ratio,
      goal: `ratio <= ${GOAL_RATIO}`,
      met: ratio <= GOAL_RATIO,
      figures,
    }];
  } finally {
    await lethe.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

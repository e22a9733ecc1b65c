import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { ensureObjectLake } from '../ensureObjectLake';
import { BenchData, ROW_GROUP_ROWS } from '../generateBenchData';
import { pairedRatio, summarize } from '../measure';
import { timeJobRounds } from '../timeJobRounds';
import { CaseResult } from './caseResult';

export const GOAL_RATIO = 1.5;
const ROWS_PER_OBJECT = 20_000;
const OBJECTS = { quick: 100, full: 400 };

/**
 * Case 7: the fixed cost per object. The whole local job with one match in each of many small
 * objects (20,000 rows, about 0.3 MB), against a plain DuckDB COPY of each object in one process.
 */
export async function smallObjects(data: BenchData, rounds: number, scratchRoot: string): Promise<CaseResult> {
  const objects = OBJECTS[data.sizes.mode];
  const lake = await ensureObjectLake(path.join(path.dirname(path.dirname(data.large.file)), `small-${objects}`), objects, ROWS_PER_OBJECT);
  const scratch = await mkdtemp(path.join(scratchRoot, 'small-'));
  try {
    const { seconds, baselineSeconds, rowsDeleted, objectsUpdated } = await timeJobRounds({
      tableDir: lake.tableDir,
      ids: lake.middleIds,
      files: lake.files,
      rowGroupRows: ROW_GROUP_ROWS,
      rounds,
      scratch,
    });
    if (rowsDeleted !== objects || objectsUpdated !== objects) throw new Error(`job deleted ${rowsDeleted} rows in ${objectsUpdated} objects, expected ${objects} in ${objects}`);
    const ratio = pairedRatio(seconds, baselineSeconds);
    const lethe = summarize(seconds);
    const baseline = summarize(baselineSeconds);
    return {
      id: 'smallObjects',
      title: `whole local job, 1 match in each of ${objects} objects of ${ROWS_PER_OBJECT.toLocaleString('en')} rows`,
      unit: 's',
      lethe,
      baseline,
      baselineName: 'DuckDB COPY of each object, one process',
      ratio,
      goal: `ratio <= ${GOAL_RATIO}`,
      met: ratio <= GOAL_RATIO,
      figures: {
        objects,
        lakeBytes: lake.bytes,
        rowsDeleted,
        letheMsPerObject: (lethe.median * 1000) / objects,
        baselineMsPerObject: (baseline.median * 1000) / objects,
      },
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

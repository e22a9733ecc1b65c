import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BenchData, ROW_GROUP_ROWS } from '../generateBenchData';
import { MB, pairedRatio, summarize } from '../measure';
import { timeJobRounds } from '../timeJobRounds';
import { CaseResult } from './caseResult';

/**
 * Case 5: the whole local job (find, forget, verify, cleanup, report) with 10,000 IDs over a fresh
 * copy of the lake each round, with lethe's default settings. Every file holds matches, so every
 * file is rewritten. The baseline is a plain DuckDB COPY of every file: the floor of a rewrite.
 */
export async function wholeLocalJob(data: BenchData, rounds: number, scratchRoot: string): Promise<CaseResult> {
  const scratch = await mkdtemp(path.join(scratchRoot, 'job-'));
  try {
    const { seconds, cpuSeconds, baselineSeconds, rowsDeleted, objectsUpdated } = await timeJobRounds({
      tableDir: data.lake.tableDir,
      ids: data.lake.matchIds,
      files: data.lake.files,
      rowGroupRows: ROW_GROUP_ROWS,
      rounds,
      scratch,
    });
    if (rowsDeleted !== data.lake.matchIds.length) throw new Error(`job deleted ${rowsDeleted} rows, expected ${data.lake.matchIds.length}`);
    const lethe = summarize(seconds);
    const baseline = summarize(baselineSeconds);
    const lakeMB = data.lake.bytes / MB;
    const cores = os.cpus().length;
    const cpu = summarize(cpuSeconds).median;
    return {
      id: 'wholeLocalJob',
      title: `whole local job, ${data.lake.matchIds.length} IDs over a ${Math.round(lakeMB)} MB lake of ${data.lake.files.length} files`,
      unit: 's',
      lethe,
      baseline,
      baselineName: 'DuckDB COPY of every file',
      ratio: pairedRatio(seconds, baselineSeconds),
      goal: 'report MB/s and MB/s per core',
      figures: {
        lakeBytes: data.lake.bytes,
        objectsUpdated,
        rowsDeleted,
        cores,
        lakeMBps: lakeMB / lethe.median,
        lakeMBpsPerCore: lakeMB / lethe.median / cores,
        cpuSeconds: cpu,
        lakeMBPerCpuSecond: lakeMB / cpu,
        baselineMBps: lakeMB / baseline.median,
      },
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

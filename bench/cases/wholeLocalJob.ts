import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { quoteLiteral } from '../../shared/duckdb/sqlText';
import { BenchData, CODEC, ROW_GROUP_ROWS } from '../generateBenchData';
import { MB, pairedRatio, summarize, timeOnce } from '../measure';
import { openBenchLethe } from '../openBenchLethe';
import { timeLocalJob } from '../timeLocalJob';
import { CaseResult } from './caseResult';

/**
 * Case 5: the whole local job (find, forget, verify, cleanup, report) with 10,000 IDs over a fresh
 * copy of the lake each round, with lethe's default settings. Every file holds matches, so every
 * file is rewritten. The baseline is a plain DuckDB COPY of every file: the floor of a rewrite.
 */
export async function wholeLocalJob(data: BenchData, rounds: number, scratchRoot: string): Promise<CaseResult> {
  const scratch = await mkdtemp(path.join(scratchRoot, 'job-'));
  const seconds: number[] = [];
  const cpuSeconds: number[] = [];
  const baselineSeconds: number[] = [];
  let rowsDeleted = 0;
  let objectsUpdated = 0;
  try {
    for (let round = 0; round < rounds; round++) {
      const lakeCopy = path.join(scratch, 'lake');
      await rm(lakeCopy, { recursive: true, force: true });
      await cp(data.lake.tableDir, lakeCopy, { recursive: true });
      const lethe = await openBenchLethe(lakeCopy, path.join(scratch, `state-${round}`));
      try {
        const job = await timeLocalJob(lethe, data.lake.matchIds);
        seconds.push(job.seconds);
        cpuSeconds.push(job.cpuSeconds);
        rowsDeleted = job.rowsDeleted;
        objectsUpdated = job.objectsUpdated;

        const connection = await lethe.local.connect();
        const out = path.join(scratch, 'baseline.parquet');
        try {
          baselineSeconds.push(
            await timeOnce(async () => {
              for (const file of data.lake.files) {
                await connection.run(`COPY (SELECT * FROM read_parquet(${quoteLiteral(file)})) TO ${quoteLiteral(out)} (FORMAT parquet, COMPRESSION ${CODEC}, ROW_GROUP_SIZE ${ROW_GROUP_ROWS})`);
              }
            }),
          );
        } finally {
          connection.closeSync();
          await rm(out, { force: true });
        }
      } finally {
        await lethe.local.close();
        await rm(path.join(scratch, `state-${round}`), { recursive: true, force: true });
      }
    }
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

import { cp, rm } from 'node:fs/promises';
import path from 'node:path';
import { quoteLiteral } from '../shared/duckdb/sqlText';
import { runJob } from '../shared/job/runJob';
import { startJob } from '../shared/job/startJob';
import { Runtime } from '../shared/runtime/Runtime';
import { CODEC } from './generateBenchData';
import { timeOnce } from './measure';
import { enqueueIds, openBenchLethe } from './openBenchLethe';

export interface JobRoundsRequest {
  /** The table folder a fresh copy of which each round's job runs over. */
  tableDir: string;
  ids: readonly string[];
  /** The source files the baseline COPYs, one after another. */
  files: readonly string[];
  rowGroupRows: number;
  rounds: number;
  scratch: string;
  /** Looks at the table copy after the job (outside the timing). */
  inspect?: (tableCopy: string) => Promise<void>;
}

export interface JobRounds {
  seconds: number[];
  cpuSeconds: number[];
  baselineSeconds: number[];
  rowsDeleted: number;
  objectsUpdated: number;
}

/**
 * Each round: a job from start to COMPLETED (find, forget, verify, cleanup, report) over a fresh copy
 * of the table, then the baseline on the same DuckDB settings: a plain COPY of every source file with
 * the bench codec and row-group size.
 */
export async function timeJobRounds(request: JobRoundsRequest): Promise<JobRounds> {
  const rounds: JobRounds = { seconds: [], cpuSeconds: [], baselineSeconds: [], rowsDeleted: 0, objectsUpdated: 0 };
  for (let round = 0; round < request.rounds; round++) {
    const tableCopy = path.join(request.scratch, path.basename(request.tableDir));
    await rm(tableCopy, { recursive: true, force: true });
    await cp(request.tableDir, tableCopy, { recursive: true });
    const stateDir = path.join(request.scratch, `state-${round}`);
    const lethe = await openBenchLethe(tableCopy, stateDir);
    try {
      await timeLocalJob(lethe, request.ids, rounds);
      await request.inspect?.(tableCopy);
      const connection = await lethe.connect();
      const out = path.join(request.scratch, 'baseline.parquet');
      try {
        rounds.baselineSeconds.push(
          await timeOnce(async () => {
            for (const file of request.files) {
              await connection.run(`COPY (SELECT * FROM read_parquet(${quoteLiteral(file)})) TO ${quoteLiteral(out)} (FORMAT parquet, COMPRESSION ${CODEC}, ROW_GROUP_SIZE ${request.rowGroupRows})`);
            }
          }),
        );
      } finally {
        connection.closeSync();
        await rm(out, { force: true });
      }
    } finally {
      await lethe.close();
      await rm(stateDir, { recursive: true, force: true });
    }
  }
  return rounds;
}

async function timeLocalJob(lethe: Runtime, ids: readonly string[], rounds: JobRounds): Promise<void> {
  const { ports } = lethe;
  await enqueueIds(lethe, ids);
  const hmacKey = await lethe.hmacKey();
  const cpuBefore = process.cpuUsage();
  rounds.seconds.push(
    await timeOnce(async () => {
      const job = await startJob(ports.state, lethe.config, 'bench');
      const ended = await runJob(ports, job.id, { hmacKey, pollIntervalMs: 100 });
      if (ended.status !== 'COMPLETED') throw new Error(`bench job ended ${ended.status}: ${ended.failure ?? ''}`);
      rounds.rowsDeleted = ended.counters.rowsDeleted;
      rounds.objectsUpdated = ended.counters.objectsUpdated;
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  rounds.cpuSeconds.push((cpu.user + cpu.system) / 1e6);
}

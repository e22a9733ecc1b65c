import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { closeDuckDb, openDuckDb } from '../shared/duckdb/openDuckDb';
import { quoteLiteral } from '../shared/duckdb/sqlText';
import { runJob } from '../shared/job/runJob';
import { startJob } from '../shared/job/startJob';
import { CODEC, ROW_GROUP_ROWS } from './generateBenchData';
import { peakRssBytes, resetPeakRss, timeOnce } from './measure';
import { enqueueIds, openBenchLethe } from './openBenchLethe';

export interface QueueJobChildResult {
  seconds: number;
  peakRssBytes: number;
  rowsDeleted: number;
  objectsUpdated: number;
}

/**
 * One whole job over a copy of a table in a fresh process, so the peak RSS is the job's alone:
 * node queueJobChild.js lethe|lethe-one-slot|script TABLE_DIR IDS_TXT SCRATCH
 * (lethe runs with its default settings; lethe-one-slot with forgetConcurrency 1, one forget slot per worker).
 * The IDs file has one customer_id a line. lethe enqueues them first (untimed; the peak is reset after
 * it where the kernel allows), then runs a job to COMPLETED; the script does by hand what a data
 * engineer would: load the IDs, semi-join for the objects, COPY each found object without the matches
 * over the original, and count the matches left.
 */
async function main(argv: string[]): Promise<void> {
  const [side, tableDir, idsFile, scratch] = argv;
  if (!side || !tableDir || !idsFile || !scratch) throw new Error('usage: queueJobChild lethe|lethe-one-slot|script TABLE_DIR IDS_TXT SCRATCH');
  const result =
    side === 'script' ? await runHandScript(tableDir, idsFile, scratch) : await runLetheJob(tableDir, idsFile, scratch, side === 'lethe-one-slot' ? { forgetConcurrency: 1 } : {});
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function runLetheJob(tableDir: string, idsFile: string, scratch: string, settings: Record<string, unknown>): Promise<QueueJobChildResult> {
  const lethe = await openBenchLethe(tableDir, path.join(scratch, 'state'), settings);
  try {
    await enqueueIds(lethe, (await readFile(idsFile, 'utf8')).trim().split('\n'));
    const hmacKey = await lethe.hmacKey();
    resetPeakRss();
    let rowsDeleted = 0;
    let objectsUpdated = 0;
    const seconds = await timeOnce(async () => {
      const job = await startJob(lethe.ports.state, lethe.config, 'bench');
      const ended = await runJob(lethe.ports, job.id, { hmacKey, pollIntervalMs: 100 });
      if (ended.status !== 'COMPLETED') throw new Error(`bench job ended ${ended.status}: ${ended.failure ?? ''}`);
      rowsDeleted = ended.counters.rowsDeleted;
      objectsUpdated = ended.counters.objectsUpdated;
    });
    return { seconds, peakRssBytes: peakRssBytes(), rowsDeleted, objectsUpdated };
  } finally {
    await lethe.close();
  }
}

async function runHandScript(tableDir: string, idsFile: string, scratch: string): Promise<QueueJobChildResult> {
  const duckdb = await openDuckDb({ memoryLimit: '1GB', threads: 0, tempDirectory: path.join(scratch, 'duckdb') });
  const run = (sql: string) => duckdb.connection.runAndReadAll(sql);
  let rowsDeleted = 0;
  let objectsUpdated = 0;
  try {
    resetPeakRss();
    const seconds = await timeOnce(async () => {
      await run(`CREATE TABLE ids AS SELECT id FROM read_csv(${quoteLiteral(idsFile)}, header = false, columns = {'id': 'BIGINT'})`);
      const glob = quoteLiteral(path.join(tableDir, '**', '*.parquet'));
      const found = (await run(`SELECT DISTINCT filename FROM read_parquet(${glob}, filename = true) WHERE customer_id IN (SELECT id FROM ids)`)).getRowObjectsJS();
      for (const { filename } of found) {
        const file = String(filename);
        const out = `${file}.rewrite`;
        const before = Number((await run(`SELECT count(*) AS n FROM read_parquet(${quoteLiteral(file)})`)).getRowObjectsJS()[0]?.n);
        await run(`COPY (SELECT * FROM read_parquet(${quoteLiteral(file)}) WHERE customer_id NOT IN (SELECT id FROM ids)) TO ${quoteLiteral(out)} (FORMAT parquet, COMPRESSION ${CODEC}, ROW_GROUP_SIZE ${ROW_GROUP_ROWS})`);
        const after = (await run(`SELECT count(*) AS n, count(*) FILTER (WHERE customer_id IN (SELECT id FROM ids)) AS left FROM read_parquet(${quoteLiteral(out)})`)).getRowObjectsJS()[0];
        if (Number(after?.left) !== 0) throw new Error(`script left matches in ${file}`);
        await rename(out, file);
        rowsDeleted += before - Number(after?.n);
        objectsUpdated++;
      }
    });
    return { seconds, peakRssBytes: peakRssBytes(), rowsDeleted, objectsUpdated };
  } finally {
    closeDuckDb(duckdb);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});

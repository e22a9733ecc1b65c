import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ensureObjectLake } from '../ensureObjectLake';
import { BenchData } from '../generateBenchData';
import { MB, runChild, summarize } from '../measure';
import { QueueJobChildResult } from '../queueJobChild';
import { CaseResult } from './caseResult';

export const GOAL_RATIO = 3;
export const GOAL_PEAK_MB = 1024;
const OBJECTS = 10;
const PRESENT = 1_000;
const SHAPE = {
  quick: { rowsPerObject: 200_000, idCounts: [10_000, 100_000, 1_000_000] },
  full: { rowsPerObject: 1_000_000, idCounts: [10_000, 100_000, 1_000_000] },
};

/** lethe with its default settings, lethe with one forget slot per worker, and the hand-written script. */
type QueueSide = 'lethe' | 'lethe-one-slot' | 'script';

/**
 * Case 8: cost as the queue grows. A whole job with 10k, 100k and 1M match IDs (1,000 of them in the
 * lake) over 10 objects, each side in a fresh process so its peak RSS is its own, against a
 * hand-written DuckDB script doing the same erasure. Two results per ID count: lethe with its default
 * settings (2 in-process workers of 2 forget slots) and with one slot per worker.
 */
export async function queueSize(data: BenchData, rounds: number, scratchRoot: string): Promise<CaseResult[]> {
  const shape = SHAPE[data.sizes.mode];
  const lake = await ensureObjectLake(path.join(path.dirname(path.dirname(data.large.file)), `queue-${shape.rowsPerObject}`), OBJECTS, shape.rowsPerObject);
  const totalRows = OBJECTS * shape.rowsPerObject;
  const step = Math.floor(totalRows / PRESENT);
  const present = Array.from({ length: PRESENT }, (_, j) => String(1 + Math.floor(step / 2) + j * step));
  const scratch = await mkdtemp(path.join(scratchRoot, 'queue-'));
  const child = path.join(__dirname, '..', 'queueJobChild.js');
  const results: CaseResult[] = [];
  try {
    for (const idCount of shape.idCounts) {
      // Absent IDs lie beyond the lake's ids: they cast to BIGINT like the present ones and match nothing.
      const ids = [...present, ...Array.from({ length: idCount - PRESENT }, (_, i) => String(1_000_000_000_000 + i))];
      const idsFile = path.join(scratch, `ids-${idCount}.txt`);
      await writeFile(idsFile, `${ids.join('\n')}\n`);
      const sides: Record<QueueSide, QueueJobChildResult[]> = { script: [], lethe: [], 'lethe-one-slot': [] };
      for (let round = 0; round < rounds; round++) {
        const order: QueueSide[] = round % 2 === 0 ? ['script', 'lethe', 'lethe-one-slot'] : ['lethe-one-slot', 'lethe', 'script'];
        for (const side of order) {
          const work = path.join(scratch, `${side}-${round}`);
          const tableCopy = path.join(work, 'customers');
          await cp(lake.tableDir, tableCopy, { recursive: true });
          try {
            const result = await runChild<QueueJobChildResult>(child, [side, tableCopy, idsFile, work]);
            if (result.rowsDeleted !== PRESENT) throw new Error(`${side} deleted ${result.rowsDeleted} rows with ${idCount} IDs, expected ${PRESENT}`);
            sides[side].push(result);
          } finally {
            await rm(work, { recursive: true, force: true });
          }
        }
      }
      const scriptSeconds = sides.script.map((r) => r.seconds);
      const title = `whole local job, ${idCount.toLocaleString('en')} IDs (${PRESENT.toLocaleString('en')} present) over ${OBJECTS} objects of ${shape.rowsPerObject.toLocaleString('en')} rows`;
      for (const [side, suffix, settings] of [
        ['lethe', '', "lethe's defaults: 2 workers of 2 forget slots"],
        ['lethe-one-slot', 'OneSlot', 'forgetConcurrency: 1, 2 workers of 1 slot'],
      ] as const) {
        const seconds = sides[side].map((r) => r.seconds);
        const ratio = summarize(seconds.map((value, i) => value / scriptSeconds[i]!)).median;
        const peakMB = Math.max(...sides[side].map((r) => r.peakRssBytes / MB));
        results.push({
          id: `queueSize${idCount}${suffix}`,
          title: `${title} (${settings})`,
          unit: 's',
          lethe: summarize(seconds),
          baseline: summarize(scriptSeconds),
          baselineName: 'hand-written DuckDB script',
          ratio,
          goal: `ratio <= ${GOAL_RATIO}, peak RSS <= ${GOAL_PEAK_MB} MB`,
          met: ratio <= GOAL_RATIO && peakMB <= GOAL_PEAK_MB,
          figures: {
            matchIds: idCount,
            present: PRESENT,
            lakeBytes: lake.bytes,
            lethePeakMB: peakMB,
            scriptPeakMB: Math.max(...sides.script.map((r) => r.peakRssBytes / MB)),
          },
        });
      }
    }
    return results;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

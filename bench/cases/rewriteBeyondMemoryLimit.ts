import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BenchData } from '../generateBenchData';
import { MB, runChild, summarize } from '../measure';
import { CaseResult } from './caseResult';

/** Peak RSS may exceed DuckDB's memory limit by this much (node, the DuckDB library, buffers outside the pool). */
export const GOAL_HEADROOM_MB = 300;

interface ChildResult {
  seconds: number;
  peakRssBytes: number;
  rssBeforeBytes: number;
  /** 1 when the plain COPY ran out of memory on all threads and was run again on one. */
  baselineThreads: number;
}

/**
 * Case 2: the large file rewritten with DuckDB's memory limit set to a quarter of its size, in a
 * child process per run so the peak RSS is that run's alone; the plain COPY runs the same way.
 */
export async function rewriteBeyondMemoryLimit(data: BenchData, rounds: number, scratchRoot: string): Promise<CaseResult> {
  const scratch = await mkdtemp(path.join(scratchRoot, 'memory-'));
  const limitMB = Math.floor(data.large.bytes / 4 / MB);
  const idsFile = path.join(scratch, 'ids.json');
  const child = path.join(__dirname, '..', 'rewriteChild.js');
  try {
    await writeFile(idsFile, JSON.stringify(data.large.matchIds));
    const lethe: ChildResult[] = [];
    const baseline: ChildResult[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const side of round % 2 === 0 ? ['baseline', 'lethe'] : ['lethe', 'baseline']) {
        const output = path.join(scratch, `${side}.parquet`);
        const result = await runChild<ChildResult>(child, [side, data.large.file, output, `${limitMB}MB`, idsFile, scratch]);
        await rm(output, { force: true });
        (side === 'lethe' ? lethe : baseline).push(result);
      }
    }
    const peak = summarize(lethe.map((r) => r.peakRssBytes / MB));
    const basePeak = summarize(baseline.map((r) => r.peakRssBytes / MB));
    const maxPeak = Math.max(...peak.runs);
    return {
      id: 'rewriteBeyondMemoryLimit',
      title: `rewrite ${Math.round(data.large.bytes / MB)} MB Parquet with memory_limit ${limitMB} MB: peak RSS`,
      unit: 'MB',
      lethe: peak,
      baseline: basePeak,
      baselineName: 'DuckDB COPY, same limit',
      ratio: peak.median / basePeak.median,
      goal: `peak RSS <= ${limitMB} + ${GOAL_HEADROOM_MB} MB`,
      met: maxPeak <= limitMB + GOAL_HEADROOM_MB,
      figures: {
        memoryLimitMB: limitMB,
        fileBytes: data.large.bytes,
        letheMaxPeakMB: maxPeak,
        letheSeconds: summarize(lethe.map((r) => r.seconds)).median,
        baselineSeconds: summarize(baseline.map((r) => r.seconds)).median,
        baselineRetriedOnOneThread: baseline.some((r) => r.baselineThreads === 1) ? 'yes' : 'no',
        rssBeforeRewriteMB: summarize(lethe.map((r) => r.rssBeforeBytes / MB)).median,
      },
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

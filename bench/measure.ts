import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

/** Figures of one side (lethe or its baseline) over several runs, in seconds. */
export interface Timing {
  runs: number[];
  median: number;
  min: number;
}

export function summarize(runs: readonly number[]): Timing {
  const sorted = [...runs].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { runs: [...runs], median, min: sorted[0] ?? Number.NaN };
}

/**
 * The median of each round's lethe/baseline: the two sides of a round ran back to back, so they saw
 * about the same load from the other work on the machine, which a ratio of medians does not ensure.
 */
export function pairedRatio(lethe: readonly number[], baseline: readonly number[]): number {
  return summarize(lethe.map((value, i) => value / baseline[i]!)).median;
}

export async function timeOnce(run: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/**
 * Runs baseline and lethe alternately, `rounds` times each, so both see the same noise from the
 * other work on the machine; `prepare` runs before each side (untimed) to remove last round's output.
 */
export async function timeSideBySide(
  rounds: number,
  sides: { baseline: () => Promise<void>; lethe: () => Promise<void>; prepare?: () => Promise<void> },
): Promise<{ baseline: Timing; lethe: Timing; ratio: number }> {
  const baseline: number[] = [];
  const lethe: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternate which side goes first: the second side of a round reads a file the first has just warmed.
    const order = round % 2 === 0 ? (['baseline', 'lethe'] as const) : (['lethe', 'baseline'] as const);
    for (const side of order) {
      await sides.prepare?.();
      const seconds = await timeOnce(sides[side]);
      (side === 'baseline' ? baseline : lethe).push(seconds);
    }
  }
  await sides.prepare?.();
  return { baseline: summarize(baseline), lethe: summarize(lethe), ratio: pairedRatio(lethe, baseline) };
}

/** Peak resident set of this process so far, in bytes (the kernel's high-water mark). */
export function peakRssBytes(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  const line = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
  return line ? Number(line[1]) * 1024 : process.resourceUsage().maxRSS * 1024;
}

/** Resets the kernel's high-water mark (VmHWM), so a peak measured after it is what came after. */
export function resetPeakRss(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not Linux or not permitted: the peak then includes what came before, which only overstates it.
  }
}

/** Runs a compiled bench script in a fresh node, so its peak RSS is its own; it prints one JSON line last. */
export function runChild<T>(script: string, args: readonly string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script, ...args], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`${script} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
        return;
      }
      const lines = stdout.trim().split('\n');
      try {
        resolve(JSON.parse(lines[lines.length - 1] ?? '') as T);
      } catch {
        reject(new Error(`${script} printed no JSON result:\n${stdout}\n${stderr}`));
      }
    });
  });
}

export const MB = 1024 * 1024;

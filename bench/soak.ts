import path from 'node:path';
import { parseArgs } from 'node:util';
import { CliCommand, KillTrialResult, runKillTrial, withKillLake } from './killTrial';
import { mulberry32 } from './mulberry32';

/**
 * npm run soak [-- --trials N --seed S --concurrency C]: "kill anywhere" at scale. Each trial SIGKILLs
 * `lethe job start --wait` on a fresh lake at a seeded moment inside the span of an unkilled run,
 * resumes with `lethe job start --wait`, and checks the lake against the fixture's own rows. Prints
 * the figures as a table and one JSON line; exits 1 if any trial failed.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { trials: { type: 'string', default: '200' }, seed: { type: 'string', default: '20261202' }, concurrency: { type: 'string', default: '2' } } });
  const trials = Number(values.trials);
  const seed = Number(values.seed);
  const concurrency = Number(values.concurrency);
  const cli: CliCommand = [process.execPath, path.resolve(__dirname, '../tasks/cli.js')];
  const started = Date.now();
  const baseline = await withKillLake(cli, (dir, configPath) => runKillTrial(cli, dir, configPath, 600_000));
  if (baseline.failures.length > 0) throw new Error(`the unkilled run failed: ${baseline.failures.join('; ')}`);
  const windowMs = baseline.jobMs;
  // One draw per trial, in trial order, so a seed names the same kill moments whatever the concurrency.
  const random = mulberry32(seed);
  const moments = Array.from({ length: trials }, () => Math.floor(random() * windowMs));
  const results: Array<KillTrialResult & { trial: number; killAfterMs: number }> = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < trials) {
        const trial = next++;
        const killAfterMs = moments[trial]!;
        const result = await withKillLake(cli, (dir, configPath) => runKillTrial(cli, dir, configPath, killAfterMs));
        results.push({ ...result, trial, killAfterMs });
        const mark = result.failures.length === 0 ? 'ok' : `FAILED: ${result.failures.join('; ')}`;
        process.stdout.write(`trial ${trial + 1}/${trials} killed after ${killAfterMs} ms in ${result.killedIn}: ${mark}\n`);
      }
    }),
  );
  const byPhase: Record<string, number> = {};
  for (const r of results) byPhase[r.killedIn] = (byPhase[r.killedIn] ?? 0) + 1;
  const failed = results.filter((r) => r.failures.length > 0);
  const summary = {
    trials: results.length,
    seed,
    windowMs,
    killsByPhase: byPhase,
    failures: failed.length,
    seconds: Math.round((Date.now() - started) / 1000),
  };
  process.stdout.write(`\n| trials | failures | seconds |\n|---|---|---|\n| ${summary.trials} | ${summary.failures} | ${summary.seconds} |\n`);
  process.stdout.write(`kills by phase: ${Object.entries(byPhase).map(([phase, n]) => `${phase} ${n}`).join(', ')}\n`);
  for (const r of failed) process.stdout.write(`failed trial ${r.trial + 1} (kill after ${r.killAfterMs} ms in ${r.killedIn}): ${r.failures.join('; ')}\n`);
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  if (failed.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`soak: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

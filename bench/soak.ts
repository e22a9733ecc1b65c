import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CliCommand, KillTrialResult, runKillTrial, withKillLake } from './killTrial';
import { MB } from './measure';
import { mulberry32 } from './mulberry32';
import { DEFAULT_SCALE_SHAPE, ScaleLakeShape } from './scale/buildScaleLake';
import { runScaleSoak } from './scale/runScaleSoak';

/**
 * npm run soak [-- --part kill|scale|all --trials N --seed S --concurrency C --objects N --ids N --touched N]
 *
 * kill: "kill anywhere" at scale. Each trial SIGKILLs `lethe job start --wait` on a fresh lake at a
 * seeded moment inside the span of an unkilled run, resumes with `lethe job start --wait`, and checks
 * the lake against the fixture's own rows and the job's counters against the fixture's.
 * scale: one local job of 1,000,000 match IDs over 20,000 small objects (bench/scale): peak RSS, time
 * per phase, the sizes of plan and manifests, the Athena statements, and the lake read back.
 * Prints each part's figures as a table and one JSON line; exits 1 if any check failed.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      part: { type: 'string', default: 'all' },
      trials: { type: 'string', default: '200' },
      seed: { type: 'string', default: '20261202' },
      concurrency: { type: 'string', default: '2' },
      objects: { type: 'string', default: String(DEFAULT_SCALE_SHAPE.objects) },
      ids: { type: 'string', default: String(DEFAULT_SCALE_SHAPE.matchIds) },
      touched: { type: 'string', default: String(DEFAULT_SCALE_SHAPE.touchedObjects) },
    },
  });
  if (!['kill', 'scale', 'all'].includes(values.part)) throw new Error(`--part is kill, scale or all, not ${values.part}`);
  const seed = Number(values.seed);
  let failed = false;
  if (values.part !== 'kill') {
    const shape: ScaleLakeShape = { ...DEFAULT_SCALE_SHAPE, objects: Number(values.objects), matchIds: Number(values.ids), touchedObjects: Number(values.touched), seed };
    failed = !(await scalePart(shape)) || failed;
  }
  if (values.part !== 'scale') failed = !(await killPart(Number(values.trials), seed, Number(values.concurrency))) || failed;
  if (failed) process.exitCode = 1;
}

async function scalePart(shape: ScaleLakeShape): Promise<boolean> {
  const result = await runScaleSoak(shape, tmpdir(), path.resolve(__dirname, 'scale/scaleJobChild.js'));
  const { job } = result;
  const mb = (bytes: number) => (bytes / MB).toFixed(1);
  process.stdout.write(`\nscale: ${shape.matchIds.toLocaleString('en')} match IDs, ${shape.objects.toLocaleString('en')} objects (${shape.touchedObjects} hold matches), ${shape.days} day partitions\n`);
  process.stdout.write(`lake generated in ${result.generateSeconds.toFixed(0)} s, IDs enqueued in ${result.enqueueSeconds.toFixed(1)} s (not part of the job)\n`);
  process.stdout.write(`| phase | seconds | peak RSS at its end (MB) |\n|---|---|---|\n${job.phases.map((p) => `| ${p.status} | ${p.seconds.toFixed(1)} | ${mb(p.peakRssBytes)} |`).join('\n')}\n`);
  process.stdout.write(`job ${job.status}: peak RSS ${mb(job.peakRssBytes)} MB; ${job.counters.objectsUpdated} objects updated, ${job.counters.rowsDeleted} rows deleted, ${job.counters.queries} queries\n`);
  const manifestBytes = job.manifests.map((m) => m.bytes);
  process.stdout.write(`plan.json ${mb(job.plan.bytes)} MB for ${job.plan.objects} objects; manifests: ${job.manifests.length} files, ${mb(manifestBytes.reduce((a, b) => a + b, 0))} MB, largest ${mb(Math.max(0, ...manifestBytes))} MB, ${job.manifests.reduce((sum, m) => sum + m.lines, 0)} lines\n`);
  process.stdout.write(`state while awaiting approval: ${Object.entries(job.stateFolders).map(([folder, f]) => `${folder} ${f.files} files ${mb(f.bytes)} MB`).join(', ')}\n`);
  process.stdout.write(`time per object in forget: median ${job.objectSeconds.median.toFixed(2)} s, p90 ${job.objectSeconds.p90.toFixed(2)} s, max ${job.objectSeconds.max.toFixed(2)} s\n`);
  process.stdout.write(`Athena: ${job.athena.statements} statements for ${job.athena.groups} partition groups, largest ${job.athena.maxBytes} bytes (limit ${job.athena.limitBytes})\n`);
  process.stdout.write(`lake read back: ${result.lake.files} files, ${result.lake.rows} rows, ${result.lake.matchesLeft} erased rows left, ${result.lake.objectsChanged} objects changed\n`);
  for (const failure of result.failures) process.stdout.write(`scale FAILED: ${failure}\n`);
  process.stdout.write(`${JSON.stringify({ part: 'scale', ...result })}\n`);
  return result.failures.length === 0;
}

async function killPart(trials: number, seed: number, concurrency: number): Promise<boolean> {
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
  const summary = { part: 'kill', trials: results.length, seed, windowMs, killsByPhase: byPhase, failures: failed.length, seconds: Math.round((Date.now() - started) / 1000) };
  process.stdout.write(`\n| trials | failures | seconds |\n|---|---|---|\n| ${summary.trials} | ${summary.failures} | ${summary.seconds} |\n`);
  process.stdout.write(`kills by phase: ${Object.entries(byPhase).map(([phase, n]) => `${phase} ${n}`).join(', ')}\n`);
  for (const r of failed) process.stdout.write(`failed trial ${r.trial + 1} (kill after ${r.killAfterMs} ms in ${r.killedIn}): ${r.failures.join('; ')}\n`);
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return failed.length === 0;
}

main().catch((error: unknown) => {
  process.stderr.write(`soak: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

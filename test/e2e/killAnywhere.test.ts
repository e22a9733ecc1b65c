import assert from 'node:assert/strict';
import path from 'node:path';
import { CliCommand, runKillTrial, withKillLake } from '../../bench/killTrial';
import { mulberry32 } from '../../bench/mulberry32';

const CLI: CliCommand = [process.execPath, '--import', 'tsx', path.resolve(__dirname, '../../tasks/cli.ts')];
const SEED = Number(process.env.LETHE_KILL_SEED ?? 11);

/**
 * A handful of SIGKILLs at seeded moments of `lethe job start --wait`, each followed by a resuming
 * `lethe job start --wait` (npm run soak runs hundreds). The kill window is the span of one unkilled run.
 */
describe('kill anywhere: a local job SIGKILLed at a random moment, then resumed', function () {
  this.timeout(240_000);
  const random = mulberry32(SEED);
  let windowMs = 0;

  it('an unkilled run sets the window: COMPLETED, the lake right, nothing left behind', async () => {
    await withKillLake(CLI, async (dir, configPath) => {
      const result = await runKillTrial(CLI, dir, configPath, 600_000);
      assert.deepEqual(result.failures, []);
      windowMs = result.jobMs;
    });
  });

  for (let trial = 1; trial <= 3; trial++) {
    it(`trial ${trial} (seed ${SEED}): every object is the original or the correct rewrite, COMPLETED, nothing in the lake or tmp/`, async () => {
      assert.ok(windowMs > 0, 'the unkilled run set the window');
      const killAfterMs = Math.floor(random() * windowMs);
      await withKillLake(CLI, async (dir, configPath) => {
        const result = await runKillTrial(CLI, dir, configPath, killAfterMs);
        assert.deepEqual(result.failures, [], `killed after ${killAfterMs} ms in ${result.killedIn}`);
      });
    });
  }
});

import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { closeDuckDb, openDuckDb } from '../../shared/duckdb/openDuckDb';
import { enqueueMatches } from '../../shared/queue/deletionQueue';
import { CliContext } from '../cliContext';
import { buildDemoLake, demoConfigYaml } from '../demo/buildDemoLake';
import { jobStartCommand } from './jobCommands';
import { Job } from '../../shared/model/job';

/**
 * The two-minute tour: a sample lake, a queue with simple and composite IDs (one that a mapper
 * cannot hold, reported for it), one job run to the end with verification. Leaves DIR/lethe.yaml so
 * every other command can go on from there.
 */
export async function demoCommand(dir: string, rows: number, json: boolean): Promise<{ context: CliContext; job: Job }> {
  const root = path.resolve(dir);
  await rm(path.join(root, 'lake'), { recursive: true, force: true });
  await rm(path.join(root, '.lethe'), { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  const say = (text: string) => json || process.stderr.write(`${text}\n`);
  say(`building a sample lake of ${rows} customers in ${path.join(root, 'lake')}`);
  const duckdb = await openDuckDb({ memoryLimit: '1GB', threads: 0, tempDirectory: path.join(root, '.lethe', 'tmp') });
  try {
    await buildDemoLake(duckdb.connection, path.join(root, 'lake'), rows);
  } finally {
    closeDuckDb(duckdb);
  }
  await writeFile(path.join(root, 'lethe.yaml'), demoConfigYaml());
  const context = new CliContext(path.join(root, 'lethe.yaml'), json);
  const { ports } = await context.runtime();
  const { count } = await enqueueMatches(ports.state, [
    { match: { kind: 'simple', value: '17' } },
    { match: { kind: 'simple', value: 'customer42@example.org' } },
    { match: { kind: 'composite', columns: { first_name: 'Ann', last_name: 'Lee' } }, mappers: ['customers'] },
    { match: { kind: 'simple', value: 'nobody@example.org' } },
  ]);
  say(`enqueued ${count} match IDs: customer 17, customer42@example.org, {first_name: Ann, last_name: Lee}, and nobody@example.org, which no column of orders can hold`);
  const job = await jobStartCommand(context, true);
  say(`next: lethe --config ${path.relative(process.cwd(), path.join(root, 'lethe.yaml')) || 'lethe.yaml'} job report ${job.id} --format md`);
  return { context, job };
}

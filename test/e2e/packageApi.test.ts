import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildTestLake, readTable } from '../support/localLake';

const root = path.resolve(__dirname, '../..');
const TSC = path.join(root, 'node_modules/typescript/bin/tsc');

function run(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => (error ? reject(new Error(`${args.join(' ')}: ${stdout}${stderr}`)) : resolve(stdout)));
  });
}

/** What a user's program does with `npm install lethe`: import by package name, typed, and run a job. */
const APP = `import { openLocalRuntime, enqueue, startJob, type Job, type Runtime } from 'lethe';

async function main(configPath: string): Promise<void> {
  const runtime: Runtime = await openLocalRuntime(configPath);
  try {
    await enqueue(runtime, ['7', { first_name: 'Ann', last_name: 'Lee' }], { mappers: ['customers'] });
    const job: Job = await startJob(runtime, { startedBy: 'a script' });
    process.stdout.write(JSON.stringify({ status: job.status, createdBy: job.createdBy, rowsDeleted: job.counters.rowsDeleted }));
  } finally {
    await runtime.close();
  }
}

void main(process.argv[2]!);
`;

/** A script that reviews jobs: a job awaiting approval is rejected, the next approved, a third cancelled. */
const REVIEW_APP = `import { approveJob, cancelJob, enqueue, openLocalRuntime, readReport, rejectJob, startJob, type DeletionReport } from 'lethe';

async function main(configPath: string): Promise<void> {
  const runtime = await openLocalRuntime(configPath);
  try {
    await enqueue(runtime, ['7'], { mappers: ['customers'] });
    const first = await startJob(runtime, { startedBy: 'a script' });
    const rejected = await rejectJob(runtime, first.id, { by: 'a reviewer' });
    const second = await startJob(runtime, { startedBy: 'a script' });
    const approved = await approveJob(runtime, second.id, { by: 'a reviewer' });
    const report = JSON.parse(await readReport(runtime, approved.id)) as DeletionReport;
    await enqueue(runtime, ['8'], { mappers: ['customers'] });
    const third = await startJob(runtime, { startedBy: 'a script' });
    const cancelled = await cancelJob(runtime, third.id, { by: 'a reviewer' });
    process.stdout.write(JSON.stringify({
      waiting: [first.status, second.status, third.status],
      ended: [rejected.status, approved.status, cancelled.status],
      rowsDeleted: approved.counters.rowsDeleted,
      reported: report.job.status,
      markdown: (await readReport(runtime, approved.id, 'md')).includes(approved.id),
    }));
  } finally {
    await runtime.close();
  }
}

void main(process.argv[2]!);
`;

describe('the Node API, imported by package name from the built package', function () {
  this.timeout(600_000);

  it('types and runs openLocalRuntime, enqueue, startJob, approveJob, rejectJob, cancelJob and readReport through the exports map', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lethe-api-'));
    try {
      // The package as npm would install it: package.json and the build, its dependencies beside it.
      const installed = path.join(dir, 'node_modules', 'lethe');
      await mkdir(installed, { recursive: true });
      await copyFile(path.join(root, 'package.json'), path.join(installed, 'package.json'));
      await symlink(path.join(root, 'node_modules'), path.join(installed, 'node_modules'), 'dir');
      await symlink(path.join(root, 'node_modules', '@types'), path.join(dir, 'node_modules', '@types'), 'dir');
      await run([TSC, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', path.join(installed, 'dist')], root);

      await writeFile(path.join(dir, 'app.ts'), APP);
      await writeFile(path.join(dir, 'review.ts'), REVIEW_APP);
      await writeFile(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'node16', moduleResolution: 'node16', target: 'ES2022', strict: true, types: ['node'], outDir: 'out' }, files: ['app.ts', 'review.ts'] }));
      await run([TSC, '-p', path.join(dir, 'tsconfig.json')], dir);

      const configPath = await buildTestLake(dir);
      const printed = JSON.parse(await run([path.join(dir, 'out', 'app.js'), configPath], dir)) as { status: string; createdBy: string; rowsDeleted: number };
      assert.deepEqual(printed, { status: 'COMPLETED', createdBy: 'a script', rowsDeleted: 1 });
      const customers = await readTable(path.join(dir, 'lake', 'customers'), 'parquet');
      assert.equal(customers.length, 399);
      assert.ok(!customers.some((row) => String(row.customer_id) === '7'), 'customer 7 (Ann Lee) is gone');

      // A job needing approval, driven by a script: rejected changes nothing, approved erases customer 7,
      // cancelled while it waits leaves customer 8.
      const reviewed = path.join(dir, 'reviewed');
      await mkdir(reviewed);
      const reviewConfig = await buildTestLake(reviewed, { requireApproval: true });
      const review = JSON.parse(await run([path.join(dir, 'out', 'review.js'), reviewConfig], dir)) as Record<string, unknown>;
      assert.deepEqual(review, {
        waiting: ['AWAITING_APPROVAL', 'AWAITING_APPROVAL', 'AWAITING_APPROVAL'],
        ended: ['REJECTED', 'COMPLETED', 'CANCELLED'],
        rowsDeleted: 1,
        reported: 'COMPLETED',
        markdown: true,
      });
      const ids = (await readTable(path.join(reviewed, 'lake', 'customers'), 'parquet')).map((row) => String(row.customer_id));
      assert.equal(ids.length, 399);
      assert.ok(!ids.includes('7') && ids.includes('8'), 'customer 7 erased by the approved job; customer 8 kept by the cancelled one');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

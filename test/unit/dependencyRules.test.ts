import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const CRUISER = path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const CONFIG = path.join(root, '.dependency-cruiser.cjs');
/** Every source folder of the repository; a folder missing here would go unchecked. */
const FOLDERS = ['infra', 'tasks', 'shared', 'console', 'bench', 'test'];

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: Array<{ name: string }>;
}

interface CruiseOutput {
  modules: Array<{ source: string }>;
  summary: { violations: Violation[]; totalCruised: number };
}

/** Runs the depcruise CLI with the repository's rules, as `npm run deps` does, and reads its JSON. */
function cruise(cwd: string, folders: string[]): Promise<CruiseOutput> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CRUISER, '--config', CONFIG, '--output-type', 'json', ...folders], { cwd, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      // depcruise exits non-zero when it finds violations; the JSON on stdout is still the answer.
      if (!stdout) return reject(error ?? new Error(`depcruise printed nothing: ${stderr}`));
      resolve(JSON.parse(stdout) as CruiseOutput);
    });
  });
}

function describeViolation(v: Violation): string {
  return `${v.rule.name}: ${v.from} -> ${v.cycle && v.cycle.length > 0 ? v.cycle.map((c) => c.name).join(' -> ') : v.to}`;
}

describe('dependency rules (.dependency-cruiser.cjs)', function () {
  this.timeout(120_000);

  it('finds no cycle and no wrong arrow anywhere in the tree', async () => {
    const result = await cruise(root, FOLDERS);
    assert.deepEqual(result.summary.violations.map(describeViolation), []);
    const folders = new Set(result.modules.map((m) => m.source.split('/').slice(0, m.source.startsWith('shared/') ? 2 : 1).join('/')));
    for (const folder of ['infra', 'tasks', 'console', 'bench', 'test', 'shared/rewrite', 'shared/duckdb', 'shared/concurrency', 'shared/records', 'shared/runtime', 'shared/adapters']) {
      assert.ok(folders.has(folder), `${folder} is cruised`);
    }
  });

  it('names each cycle and wrong import in a tree that has them', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lethe-deps-'));
    try {
      const files: Record<string, string> = {
        'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'node16', moduleResolution: 'node16', strict: true } }),
        'shared/model/job.ts': 'export type JobId = string;\n',
        'shared/job/runJob.ts': "import { buildReport } from '../report/buildReport';\nexport const runJob = () => buildReport();\n",
        'shared/report/buildReport.ts': "import { JobId } from '../model/job';\nimport { readJob } from '../job/readJob';\nexport const buildReport = (): JobId => readJob();\n",
        'shared/job/readJob.ts': "export const readJob = () => 'job';\n",
        'shared/rewrite/rewriteObject.ts': "import { rewriteCsv } from './rewriteCsv';\nexport interface Request { file: string }\nexport const rewriteObject = (r: Request) => rewriteCsv(r);\n",
        'shared/rewrite/rewriteCsv.ts': "import { Request } from './rewriteObject';\nexport const rewriteCsv = (r: Request) => r.file;\n",
        'shared/find/runFind.ts': "import { S3Client } from '@aws-sdk/client-s3';\nimport { S3ObjectStore } from '../adapters/aws/S3ObjectStore';\nimport { readFile } from 'node:fs/promises';\nexport const runFind = () => [S3Client, S3ObjectStore, readFile];\n",
        'shared/adapters/aws/S3ObjectStore.ts': 'export class S3ObjectStore {}\n',
        'shared/adapters/local/createLocalPorts.ts': "import { runForgetWorker } from '../../forget/runForgetWorker';\nexport const createLocalPorts = () => runForgetWorker;\n",
        'shared/forget/runForgetWorker.ts': 'export const runForgetWorker = () => undefined;\n',
        'console/createConsoleBackend.ts': "import { CliContext } from '../tasks/cliContext';\nexport const backend = (c: CliContext) => c;\n",
        'tasks/cliContext.ts': "import * as pulumi from '@pulumi/pulumi';\nexport class CliContext { p = pulumi; }\n",
        'tasks/commands/jobCommands.ts': "import { backend } from '../../console/createConsoleBackend';\nexport const jobCommands = backend;\n",
        'shared/billing/charge.ts': "import { JobId } from '../model/job';\nexport const charge = (id: JobId) => id;\n",
        'infra/fleet.ts': "import { runJob } from '../shared/job/runJob';\nexport const fleet = runJob;\n",
      };
      for (const [file, text] of Object.entries(files)) {
        await mkdir(path.join(dir, path.dirname(file)), { recursive: true });
        await writeFile(path.join(dir, file), text);
      }
      await symlink(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');

      // A package resolves wherever node_modules really is (worktrees link one install): name it by package.
      const packageName = (to: string) => to.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+)\/.*$/, '$1');
      const found = (await cruise(dir, ['infra', 'tasks', 'shared', 'console'])).summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${packageName(v.to)}`);
      const expected = [
        'no-circular: shared/rewrite/rewriteCsv.ts -> shared/rewrite/rewriteObject.ts',
        'no-folder-cycles: shared/job -> shared/report',
        'no-folder-cycles: shared/report -> shared/job',
        'no-folder-cycles: console -> tasks',
        'no-folder-cycles: tasks -> console',
        'layer-report: shared/report/buildReport.ts -> shared/job/readJob.ts',
        'layer-find: shared/find/runFind.ts -> shared/adapters/aws/S3ObjectStore.ts',
        'core-no-sdk: shared/find/runFind.ts -> @aws-sdk/client-s3',
        'aws-sdk-only-in-aws-adapters: shared/find/runFind.ts -> @aws-sdk/client-s3',
        'core-no-fs: shared/find/runFind.ts -> fs/promises',
        'layer-adapters-local: shared/adapters/local/createLocalPorts.ts -> shared/forget/runForgetWorker.ts',
        'console-not-tasks: console/createConsoleBackend.ts -> tasks/cliContext.ts',
        'tasks-console-through-its-command: tasks/commands/jobCommands.ts -> console/createConsoleBackend.ts',
        'no-pulumi-outside-infra: tasks/cliContext.ts -> @pulumi/pulumi',
        'infra-imports-only-contracts: infra/fleet.ts -> shared/job/runJob.ts',
        'shared-folder-has-a-layer: shared/billing/charge.ts -> shared/model/job.ts',
      ];
      assert.deepEqual([...found].sort(), [...expected].sort());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

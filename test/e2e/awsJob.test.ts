import assert from 'node:assert/strict';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { DuckDBInstance } from '@duckdb/node-api';
import { S3StateStore } from '../../shared/adapters/aws/S3StateStore';
import { reportKey } from '../../shared/records/stateKeys';
import { listJobIds, readJob } from '../../shared/records/jobRecord';
import { enqueueMatches } from '../../shared/queue/deletionQueue';
import { DeletionReport } from '../../shared/report/deletionReport';
import { JobId, parseJobId, parseStateKey } from '../../shared/model/identifiers';
import { hmacMatch } from '../../shared/privacy/hmacMatch';
import { AthenaDuckDbProxy, startAthenaDuckDbProxy } from '../support/athenaDuckDbProxy';
import { createGlueParquetTable } from '../support/createGlueParquetTable';
import { PublishedNotification, TEST_HMAC_KEY_HEX, provisionLetheAws, takeNotifications } from '../support/letheAwsStack';
import { LetheRole, RecordedAwsCall, asRole, recordedInProcess, recordingChild } from '../support/awsCallRecorder';
import { deployedPolicies } from '../support/deployedPolicies';
import { MotoServer, startMotoServer } from '../support/motoServer';
import { assertCallsAllowed, readRecordedCalls, withoutPermission } from '../support/simulateAwsCalls';

const root = path.resolve(__dirname, '../..');
const LAKE = 'lake-bucket';
const STATE = 'lethe-state';

/** The lake: two partitions, two objects each. Customer 17 bought in both years; customer 88 is matched by email. */
const OBJECTS: Record<string, { year: string; ids: number[] }> = {
  'customers/year=2023/part-0.parquet': { year: '2023', ids: [1, 2, 17, 3] },
  'customers/year=2023/part-1.parquet': { year: '2023', ids: [4, 5, 6] },
  'customers/year=2024/part-0.parquet': { year: '2024', ids: [17, 7, 8] },
  'customers/year=2024/part-1.parquet': { year: '2024', ids: [9, 88, 10, 11] },
};
const MATCHED = (id: number) => id === 17 || id === 88;

type Row = { customer_id: string; user: { email: string; name: string }; amount: string };

interface Running {
  child: ChildProcess;
  exit: Promise<number | null>;
  output: () => string;
}

/** Runs a task as a child process; every AWS call it makes is recorded as `role`'s into `calls`. */
function runTask(script: string, env: NodeJS.ProcessEnv, role: LetheRole, calls: string): Running {
  const recording = recordingChild(role, calls);
  const child = spawn(process.execPath, ['--import', 'tsx', ...recording.nodeArgs, path.join(root, 'tasks', script)], {
    cwd: root,
    env: { ...env, ...recording.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exit, output: () => output };
}

describe('an aws-mode deletion job on moto_server', function () {
  this.timeout(240_000);
  let stack: AwsStack;
  let s3: S3Client;
  let work: string;
  let env: NodeJS.ProcessEnv;
  let callsFile: string;
  const workers: Running[] = [];
  /** What the next find query's answer should set off (the poison case archives an object there). */
  let onAnswer: ((answer: { sql: string; objects: string[] }) => Promise<void>) | undefined;

  before(async () => {
    stack = await startAwsStack(async (answer) => onAnswer?.(answer));
    ({ s3, work, env } = stack);
    callsFile = path.join(work, 'aws-calls.jsonl');
  });

  after(async () => {
    for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    await stack?.stop();
  });

  /** Runs the find task (with `findEnv`) and two forget workers beside it, then stops the workers with SIGTERM. */
  async function runFindWithWorkers(state: S3StateStore, findEnv: Record<string, string> = {}): Promise<{ code: number | null; details: string }> {
    const worker = () => runTask('forget.ts', { ...env, LETHE_IDLE_EXIT_SECONDS: '600' }, 'forget', callsFile);
    const running = [worker(), worker()];
    workers.push(...running);
    const find = runTask('find.ts', { ...env, ...findEnv }, 'find', callsFile);
    const code = await find.exit;
    for (const worker of running) worker.child.kill('SIGTERM');
    const workerCodes = await Promise.all(running.map((w) => w.exit));
    const details = `${find.output()}\n${await objectErrors(state)}\n${running.map((w) => w.output()).join('\n')}`;
    assert.deepEqual(workerCodes, [0, 0], details);
    for (const worker of running) assert.match(worker.output(), /worker stopped \(SIGTERM\)/, details);
    return { code, details };
  }

  /** Runs a job the find task creates from the queue, with two workers; returns it. */
  async function runJobWithWorkers(state: S3StateStore, earlierJobs: number): Promise<{ code: number | null; jobId: JobId; details: string }> {
    const { code, details } = await runFindWithWorkers(state);
    const jobIds = await listJobIds(state);
    assert.equal(jobIds.length, earlierJobs + 1, details);
    return { code, jobId: jobIds.sort()[earlierJobs]!, details };
  }

  it('finds with Athena, forgets with Fargate-style workers, verifies and reports: COMPLETED', async () => {
    const state = new S3StateStore({ client: s3, bucket: STATE });
    const before = await readLake(s3, work);
    const versionsBefore = await versionCounts(s3);
    await asRole('operator', () => enqueueMatches(state, [{ match: { kind: 'simple', value: '17' } }, { match: { kind: 'simple', value: 'customer88@example.org' } }]));

    const { code, jobId, details } = await runJobWithWorkers(state, 0);
    assert.equal(code, 0, details);
    const { job } = await readJob(state, jobId);
    assert.equal(job.status, 'COMPLETED', job.failure);
    assert.equal(job.counters.objectsFound, 3);
    assert.equal(job.counters.objectsUpdated, 3);
    assert.equal(job.counters.rowsDeleted, 3);

    // The queries Athena got: one per partition per phase, found by DuckDB on the same objects.
    const proxy = stack.proxy;
    assert.equal(proxy.answered.length, 4);
    assert.deepEqual(proxy.answered.slice(0, 2).flatMap((a) => a.objects).sort(), [
      `s3://${LAKE}/customers/year=2023/part-0.parquet`,
      `s3://${LAKE}/customers/year=2024/part-0.parquet`,
      `s3://${LAKE}/customers/year=2024/part-1.parquet`,
    ]);
    assert.deepEqual(proxy.answered.slice(2).flatMap((a) => a.objects), [], 'verification found no match left');
    for (const { sql } of proxy.answered) {
      assert.doesNotMatch(sql, /customer88@example\.org|'17'/, 'no match ID in SQL text');
      assert.match(sql, new RegExp(`WHERE job_id = '${jobId}' AND mapper_id = 'customers'`));
    }

    // The matched rows are gone, every other row is identical and in order.
    const after = await readLake(s3, work);
    for (const key of Object.keys(OBJECTS)) {
      assert.deepEqual(after[key], before[key]!.filter((row) => !MATCHED(Number(row.customer_id))), key);
    }
    // Old versions of rewritten objects are gone (two each: the older upload and the source); untouched objects keep theirs.
    const versionsAfter = await versionCounts(s3);
    for (const [key, { ids }] of Object.entries(OBJECTS)) {
      assert.equal(versionsAfter[key], ids.some(MATCHED) ? 1 : versionsBefore[key], key);
    }
    // Metadata and content type carried over by the rewrite.
    const head = await s3.send(new HeadObjectCommand({ Bucket: LAKE, Key: 'customers/year=2024/part-0.parquet' }));
    assert.deepEqual(head.Metadata, { writer: 'spark' });
    assert.equal(head.ContentType, 'application/vnd.apache.parquet');

    const report = await readReport(state, jobId);
    assert.equal(report.job.status, 'COMPLETED');
    assert.deepEqual(report.totals, { objectsFound: 3, objectsUpdated: 3, objectsUnchanged: 0, objectsMissing: 0, objectsFailed: 0, rowsDeleted: 3, versionsDeleted: 6 });
    assert.deepEqual(report.verification, { ran: true, objectsWithMatches: [] });
    assert.equal(report.mappers[0]?.format, 'parquet', 'format from the Glue SerDe');
    assert.doesNotMatch(JSON.stringify(report), /customer88@example\.org/, 'the report holds no clear match ID');
    // Hashed with the key in the stack's SSM parameter: the config in the state bucket holds none.
    const key = Buffer.from(TEST_HMAC_KEY_HEX, 'hex');
    assert.deepEqual(report.matches.map((m) => m.matchHash).sort(), ['17', 'customer88@example.org'].map((value) => hmacMatch(key, { kind: 'simple', value })).sort());
    const manifestsLeft: string[] = [];
    for await (const key of state.list(parseStateKey(`jobs/${jobId}/manifests/`))) manifestsLeft.push(key);
    assert.deepEqual(manifestsLeft, [], 'manifests deleted at cleanup');
    assert.equal(await state.read(parseStateKey('lock.json')), undefined, 'lock released');
    assert.deepEqual(await queueDepth(env), { visible: 0, inFlight: 0, deadLettered: 0 });

    // The find task published the outcome to the stack's topic: counts, no match ID.
    const [finished, ...more] = await takeNotifications();
    assert.equal(more.length, 0, 'one notification: the job did not wait for approval');
    assert.deepEqual(finished!.attributes, { jobId, kind: 'finished' });
    assert.equal(finished!.subject, `lethe job ${jobId} COMPLETED`);
    assert.match(finished!.text, /^Objects found: 3; updated: 3; unchanged: 0; missing: 0; failed or not done: 0$/m);
    assert.match(finished!.text, /^Rows deleted: 3; old versions deleted: 6$/m);
    assert.match(finished!.text, new RegExp(`^Report: s3://${STATE}/jobs/${jobId}/report\\.html`, 'm'));
    assertNoMatchId(finished!, ['17', 'customer88@example.org']);
  });

  it('a poison object fails at once (a permanent error: acknowledged, not redelivered) and the job ends FORGET_PARTIALLY_FAILED naming it', async () => {
    const state = new S3StateStore({ client: s3, bucket: STATE });
    const poisoned = 'customers/year=2023/part-1.parquet';
    // Once the find has found it, the object goes to Glacier: every worker's download then fails.
    onAnswer = async ({ objects }) => {
      if (!objects.includes(`s3://${LAKE}/${poisoned}`)) return;
      onAnswer = undefined;
      await s3.send(new CopyObjectCommand({ Bucket: LAKE, Key: poisoned, CopySource: `${LAKE}/${poisoned}`, StorageClass: 'GLACIER', MetadataDirective: 'COPY' }));
    };
    await asRole('operator', () => enqueueMatches(state, [{ match: { kind: 'simple', value: '5' } }, { match: { kind: 'simple', value: '9' } }]));
    const { code, jobId, details } = await runJobWithWorkers(state, 1);
    assert.equal(code, 2, `a job that did not complete exits 2\n${details}`);
    const { job } = await readJob(state, jobId);
    assert.equal(job.status, 'FORGET_PARTIALLY_FAILED');
    assert.equal(job.counters.objectsFound, 2);
    assert.equal(job.counters.objectsUpdated, 1);
    assert.equal(job.counters.objectsFailed, 1);
    const report = await readReport(state, jobId);
    const failed = report.objects.filter((o) => o.outcome === 'failed');
    assert.deepEqual(failed.map((o) => o.object), [`s3://${LAKE}/${poisoned}`]);
    assert.match(failed[0]!.error ?? '', /archived/);
    assert.equal(failed[0]!.attempts, 1, 'an archived object is a permanent error: one delivery, not maxReceiveCount');
    assert.deepEqual(await queueDepth(env), { visible: 0, inFlight: 0, deadLettered: 0 }, 'the coordinator drained the dead-letter queue');
    const after = await readLake(s3, work, ['customers/year=2024/part-1.parquet']);
    assert.deepEqual(after['customers/year=2024/part-1.parquet']!.map((r) => r.customer_id), ['10', '11'], 'customer 9 gone from the other object');
    const [finished, ...more] = await takeNotifications();
    assert.equal(more.length, 0);
    assert.equal(finished!.subject, `lethe job ${jobId} FORGET_PARTIALLY_FAILED`);
    assert.match(finished!.text, /^Rows deleted: 1; /m);
    assert.match(finished!.text, new RegExp(`^Failed objects:\n- s3://${LAKE}/${poisoned}$`, 'm'), 'names the object that failed');
    assertNoMatchId(finished!, ['5', '9']);
  });

  it('a message no worker can parse goes to the dead-letter queue at once, untouched', async () => {
    const sqs = new SQSClient({});
    try {
      await sqs.send(new SendMessageCommand({ QueueUrl: env.LETHE_QUEUE_URL, MessageBody: 'not a work message' }));
      const worker = runTask('forget.ts', { ...env, LETHE_IDLE_EXIT_SECONDS: '2' }, 'forget', callsFile);
      workers.push(worker);
      assert.equal(await worker.exit, 0, worker.output());
      const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: env.LETHE_DLQ_URL, WaitTimeSeconds: 1 }));
      assert.deepEqual(dead.Messages?.map((m) => m.Body), ['not a work message']);
      await sqs.send(new DeleteMessageCommand({ QueueUrl: env.LETHE_DLQ_URL, ReceiptHandle: dead.Messages![0]!.ReceiptHandle }));
      assert.deepEqual(await queueDepth(env), { visible: 0, inFlight: 0, deadLettered: 0 });
    } finally {
      sqs.destroy();
    }
  });

  /** `lethe ARGS` in aws mode against the stack, as `role` runs it (its calls recorded as theirs). */
  function letheAs(role: LetheRole, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
    const recording = recordingChild(role, callsFile);
    const run = spawnSync(process.execPath, ['--import', 'tsx', ...recording.nodeArgs, path.join(root, 'tasks', 'cli.ts'), ...args], {
      cwd: root,
      env: { ...env, ...recording.env },
      encoding: 'utf8',
    });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
  }
  const lethe = (...args: string[]) => letheAs('operator', ...args);

  /** What the stack's EventBridge rule does for a request: runs the find task with its key. */
  async function requestFor(state: S3StateStore, jobId: JobId, before: ReadonlySet<string>): Promise<string> {
    const requests: string[] = [];
    for await (const key of state.list(parseStateKey('requests/'))) if (!before.has(key)) requests.push(key);
    assert.equal(requests.length, 1, `one new request: ${requests.join(', ')}`);
    assert.match(requests[0]!, new RegExp(`^requests/\\d{4}-\\d{2}-\\d{2}T\\d{9}Z-${jobId}\\.json$`));
    return requests[0]!;
  }

  async function requestKeys(state: S3StateStore): Promise<Set<string>> {
    const keys = new Set<string>();
    for await (const key of state.list(parseStateKey('requests/'))) keys.add(key);
    return keys;
  }

  it('the CLI drives jobs on the stack by request: enqueue, queue list and remove, start, reject, approve, cancel, report', async function () {
    // About 25 CLI and task processes, each starting tsx: minutes on a loaded machine.
    this.timeout(600_000);
    const state = new S3StateStore({ client: s3, bucket: STATE });
    await writeStackConfig(s3, { requireApproval: true });
    const ok = (run: ReturnType<typeof lethe>) => {
      assert.equal(run.code, 0, run.stderr);
      return run.stdout;
    };
    type Listing = { total: number; items: Array<{ id: string }> };
    const queued = () => (JSON.parse(ok(lethe('--json', 'queue', 'list'))) as Listing).items.map((item) => item.id).sort();
    // The poison job left its items queued (it did not complete): remove them, as an operator would.
    const left = queued();
    assert.equal(left.length, 2);
    ok(lethe('queue', 'remove', ...left));
    ok(lethe('enqueue', '7', 'customer10@example.org'));
    ok(lethe('enqueue', 'nobody@example.org'));
    const listed = queued();
    assert.equal(listed.length, 3);
    ok(lethe('queue', 'remove', listed.at(-1)!));
    assert.deepEqual(queued(), listed.slice(0, 2));
    const before = await readLake(s3, work, ['customers/year=2024/part-0.parquet', 'customers/year=2024/part-1.parquet']);

    // Start: the CLI writes a request, the rule runs the find task with its key, the job waits for approval.
    let requests = await requestKeys(state);
    const rejected = parseJobId(ok(lethe('job', 'start')).split('\n')[0]);
    const firstRun = runTask('find.ts', { ...env, LETHE_REQUEST_KEY: await requestFor(state, rejected, requests) }, 'find', callsFile);
    assert.equal(await firstRun.exit, 0, firstRun.output());
    assert.equal((await readJob(state, rejected)).job.status, 'AWAITING_APPROVAL');
    // The approver is told what the plan holds and how to approve: 7 and 10 are in one object each.
    const [awaiting, ...none] = await takeNotifications();
    assert.equal(none.length, 0);
    assert.deepEqual(awaiting!.attributes, { jobId: rejected, kind: 'awaitingApproval' });
    assert.equal(awaiting!.subject, `lethe job ${rejected} awaits approval (2 objects)`);
    assert.match(awaiting!.text, /^Objects to rewrite: 2$/m);
    assert.match(awaiting!.text, /^Match IDs: 2 \(0 apply to no mapper, 0 skipped/m);
    assert.match(awaiting!.text, /^Mapper customers: 2 objects, 2 match IDs$/m);
    assert.match(awaiting!.text, new RegExp(`^Approve: lethe job approve ${rejected}$`, 'm'));
    assert.match(awaiting!.text, new RegExp(`/jobs/${rejected}, Approve or Reject`));
    assertNoMatchId(awaiting!, ['7', 'customer10@example.org']);
    ok(lethe('job', 'reject', rejected));
    // The reject ends the job where the operator runs it: that process publishes the end.
    const [ended, ...others] = await takeNotifications();
    assert.equal(others.length, 0);
    assert.equal(ended!.subject, `lethe job ${rejected} REJECTED`);
    assert.match(ended!.text, /^Rows deleted: 0; /m);
    assert.equal((JSON.parse(ok(lethe('job', 'report', rejected, '--format', 'json'))) as DeletionReport).job.status, 'REJECTED');
    assert.deepEqual(await readLake(s3, work, Object.keys(before)), before, 'a rejected job changes nothing');

    // Approve: a second request for the same job; the find task goes on with the workers.
    requests = await requestKeys(state);
    const approved = parseJobId(ok(lethe('job', 'start')).split('\n')[0]);
    const secondRun = runTask('find.ts', { ...env, LETHE_REQUEST_KEY: await requestFor(state, approved, requests) }, 'find', callsFile);
    assert.equal(await secondRun.exit, 0, secondRun.output());
    requests = await requestKeys(state);
    ok(lethe('job', 'approve', approved));
    const { code, details } = await runFindWithWorkers(state, { LETHE_REQUEST_KEY: await requestFor(state, approved, requests) });
    assert.equal(code, 0, details);
    assert.equal((await readJob(state, approved)).job.status, 'COMPLETED');
    assert.deepEqual((await takeNotifications()).map((n) => n.subject), [
      `lethe job ${approved} awaits approval (2 objects)`,
      `lethe job ${approved} COMPLETED`,
    ]);
    const after = await readLake(s3, work, Object.keys(before));
    for (const key of Object.keys(before)) assert.deepEqual(after[key], before[key]!.filter((row) => !['7', '10'].includes(row.customer_id)), key);
    assert.match(ok(lethe('job', 'report', approved, '--format', 'md')), /COMPLETED/);
    // An auditor, with the auditor policy only, follows the jobs and reads the report.
    assert.match(ok(letheAs('auditor', 'job', 'list')), new RegExp(`${approved}\\s+COMPLETED`));
    assert.match(ok(letheAs('auditor', 'job', 'status', approved)), /COMPLETED/);
    assert.equal((JSON.parse(ok(letheAs('auditor', 'job', 'report', approved, '--format', 'json'))) as DeletionReport).job.status, 'COMPLETED');

    // Cancel: a job nothing drives yet ends at once.
    ok(lethe('enqueue', '8'));
    const cancelled = parseJobId(ok(lethe('job', 'start')).split('\n')[0]);
    ok(lethe('job', 'cancel', cancelled));
    assert.equal((await readJob(state, cancelled)).job.status, 'CANCELLED');
    await writeStackConfig(s3, {});
  });

  /** Every call of the jobs: the find task's, the workers', and the operator's enqueues. */
  async function recordedCalls(): Promise<RecordedAwsCall[]> {
    return [...(await readRecordedCalls(callsFile)), ...recordedInProcess()];
  }

  it('IAM simulation: every AWS call of these jobs and workers is allowed by the policies the stack deploys, for the role that makes it', async () => {
    const calls = await recordedCalls();
    assert.deepEqual([...new Set(calls.map((c) => c.role))].sort(), ['auditor', 'find', 'forget', 'operator']);
    await assertCallsAllowed(calls, { deployed: await deployedPolicies(), testEnvironment: env });
  });

  it('IAM simulation: removing one permission the workers use from the policies fails, naming the call, the role and why', async () => {
    const deployed = withoutPermission(await deployedPolicies(), 'forget', 'sqs:DeleteMessage');
    await assert.rejects(assertCallsAllowed(await recordedCalls(), { deployed, testEnvironment: env }), {
      message: /- forget role: SQS DeleteMessage \S+ needs sqs:DeleteMessage on arn:aws:sqs:eu-west-1:123456789012:lethe-iam-deletion: denied implicitly: no statement of the identity policies of lethe-iam-iam-forget allows it/,
    });
  });
});

describe('a queue batch written without lethe, by a plain S3 PutObject (docs/queue-format.md)', function () {
  this.timeout(240_000);
  let stack: AwsStack;
  let state: S3StateStore;

  before(async () => {
    stack = await startAwsStack();
    state = new S3StateStore({ client: stack.s3, bucket: STATE });
  });
  after(() => stack?.stop());
  afterEach(async () => {
    for (const key of await queueKeys()) await stack.s3.send(new DeleteObjectCommand({ Bucket: STATE, Key: key }));
  });

  /** What a producer does: one create-only PutObject of the whole batch, no lethe code involved. */
  const putBatch = (key: string, body: string) =>
    asRole('operator', () => stack.s3.send(new PutObjectCommand({ Bucket: STATE, Key: key, Body: body, IfNoneMatch: '*', ContentType: 'application/x-ndjson' })));
  const callsFile = () => path.join(stack.work, 'aws-calls.jsonl');

  /** Runs the find task (it starts the next job from the queue) with one forget worker beside it. */
  async function runNextJob(): Promise<{ code: number | null; output: string }> {
    const worker = runTask('forget.ts', { ...stack.env, LETHE_IDLE_EXIT_SECONDS: '600' }, 'forget', callsFile());
    try {
      const find = runTask('find.ts', stack.env, 'find', callsFile());
      const code = await find.exit;
      return { code, output: `${find.output()}\n${worker.output()}` };
    } finally {
      worker.child.kill('SIGTERM');
      await worker.exit;
    }
  }

  async function queueKeys(): Promise<string[]> {
    const listed = await stack.s3.send(new ListObjectsV2Command({ Bucket: STATE, Prefix: 'queue/' }));
    return (listed.Contents ?? []).map((o) => o.Key!);
  }

  it('refuses a batch with a bad line: the find task exits 1 naming the object and line, starts no job, changes nothing', async () => {
    const key = 'queue/20261202T031000000Z-bad001.jsonl';
    await putBatch(
      key,
      '{"id":"20261202T031000000Z-bad001.0","match":"customer5@example.org","createdAt":"2026-12-02T03:10:00.000Z"}\n' +
        '{"id":"20261202T031000000Z-bad001.1","match":"customer6@example.org"\n',
    );
    const before = await readLake(stack.s3, stack.work);
    const { code, output } = await runNextJob();
    assert.equal(code, 1, output);
    assert.match(output, /^lethe find: queue\/20261202T031000000Z-bad001\.jsonl line 2: not valid JSON$/m);
    assert.doesNotMatch(output, /customer[56]@example\.org/, 'no match ID in the output');
    assert.deepEqual(await listJobIds(state), []);
    assert.equal(await state.read(parseStateKey('lock.json')), undefined);
    assert.deepEqual(await readLake(stack.s3, stack.work), before);
    assert.deepEqual(await queueKeys(), [key], 'the batch stays for its writer to remove');
  });

  it('is taken by the next job: its rows are gone, every other row is identical, and the batch is removed', async () => {
    const key = 'queue/20261202T031500000Z-crm001.jsonl';
    await putBatch(
      key,
      [
        '{"id":"20261202T031500000Z-crm001.0","match":"7","createdAt":"2026-12-02T03:15:00.000Z"}',
        '{"id":"20261202T031500000Z-crm001.1","match":{"customer_id":"10","user.email":"customer10@example.org"},"mappers":["customers"],"createdAt":"2026-12-02T03:15:00.000Z"}',
        '{"id":"20261202T031500000Z-crm001.2","match":"customer3@example.org","createdAt":"2026-12-02T03:15:00.000Z"}',
      ].join('\n') + '\n',
    );
    const before = await readLake(stack.s3, stack.work);
    const { code, output } = await runNextJob();
    assert.equal(code, 0, output);
    const [jobId] = await listJobIds(state);
    const { job } = await readJob(state, jobId!);
    assert.equal(job.status, 'COMPLETED', job.failure);
    assert.equal(job.counters.matchIds, 3);
    assert.equal(job.counters.rowsDeleted, 3);
    const erased = new Set([3, 7, 10]);
    const after = await readLake(stack.s3, stack.work);
    for (const key of Object.keys(OBJECTS)) {
      assert.deepEqual(after[key], before[key]!.filter((row) => !erased.has(Number(row.customer_id))), key);
    }
    assert.deepEqual(await queueKeys(), [], 'the batch is removed once its job is done');
    // The producer's PutObject is one the operator policy allows, as the document says.
    await assertCallsAllowed([...(await readRecordedCalls(callsFile())), ...recordedInProcess()], { deployed: await deployedPolicies(), testEnvironment: stack.env });
  });
});

/** moto_server, the Athena proxy and the provisioned stack, with one stop for all of it. */
interface AwsStack {
  s3: S3Client;
  proxy: AthenaDuckDbProxy;
  work: string;
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

async function startAwsStack(onAnswer?: (answer: { sql: string; objects: string[] }) => Promise<void>): Promise<AwsStack> {
  const moto = await startMotoServer();
  const s3 = new S3Client({ forcePathStyle: true });
  const work = await mkdtemp(path.join(tmpdir(), 'lethe-aws-e2e-'));
  let proxy: AthenaDuckDbProxy | undefined;
  const stop = async () => {
    await proxy?.stop();
    s3.destroy();
    await moto.stop();
    await rm(work, { recursive: true, force: true });
  };
  try {
    proxy = await startAthenaDuckDbProxy({
      moto,
      s3,
      stateBucket: STATE,
      tables: [{ database: 'lake', table: 'customers', location: `s3://${LAKE}/customers/` }],
      ...(onAnswer ? { onAnswer } : {}),
    });
    const env = await provision(moto, s3, work);
    env.AWS_ENDPOINT_URL_ATHENA = proxy.endpoint;
    return { s3, proxy, work, env, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A notification leaves the stack (e-mail, chat): no clear match ID may be in it, as a word of its own. */
function assertNoMatchId(notification: PublishedNotification, ids: string[]): void {
  const text = `${notification.subject}\n${notification.text}`;
  for (const id of ids) assert.doesNotMatch(text, new RegExp(`(^|[^\\w.@-])${id.replace(/[.]/g, '\\.')}($|[^\\w.@-])`), `match ID ${id} in a notification`);
}

/** The error of every failed object result, for a failure message. */
async function objectErrors(state: S3StateStore): Promise<string> {
  const lines: string[] = [];
  for await (const key of state.list(parseStateKey('jobs/'))) {
    if (!key.includes('/objects/')) continue;
    const result = JSON.parse((await state.read(key))!.body.toString('utf8')) as { object: string; error?: string };
    if (result.error) lines.push(`${result.object}: ${result.error}`);
  }
  return lines.join('\n');
}

async function readReport(state: S3StateStore, jobId: JobId): Promise<DeletionReport> {
  const stored = await state.read(reportKey(jobId, 'json'));
  assert.ok(stored, `job ${jobId} has a report`);
  return JSON.parse(stored.body.toString('utf8')) as DeletionReport;
}

async function queueDepth(env: NodeJS.ProcessEnv): Promise<{ visible: number; inFlight: number; deadLettered: number }> {
  const sqs = new SQSClient({});
  try {
    const count = async (url: string | undefined) => {
      const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))).Attributes ?? {};
      return { visible: Number(a.ApproximateNumberOfMessages), inFlight: Number(a.ApproximateNumberOfMessagesNotVisible) };
    };
    const main = await count(env.LETHE_QUEUE_URL);
    const dead = await count(env.LETHE_DLQ_URL);
    return { ...main, deadLettered: dead.visible + dead.inFlight };
  } finally {
    sqs.destroy();
  }
}

/** Buckets, queue and DLQ, Glue tables, Athena workgroup, ECS service, the lake objects (two versions each) and the config. */
async function provision(moto: MotoServer, s3: S3Client, work: string): Promise<NodeJS.ProcessEnv> {
  for (const bucket of [LAKE, STATE]) {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  }
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    for (const [key, { ids }] of Object.entries(OBJECTS)) {
      const file = path.join(work, key.replace(/\//g, '_'));
      const values = ids
        .map((id) => `(${id}, {'email': 'customer${id}@example.org', 'name': 'Customer ${id}'}, ${id}.25::DECIMAL(10,2))`)
        .join(', ');
      await connection.run(`COPY (SELECT * FROM (VALUES ${values}) v(customer_id, "user", amount)) TO '${file}' (FORMAT parquet)`);
      // An older version first, so the job has versions to remove.
      await s3.send(new PutObjectCommand({ Bucket: LAKE, Key: key, Body: 'an older version', Metadata: { writer: 'spark' } }));
      await s3.send(new PutObjectCommand({ Bucket: LAKE, Key: key, Body: await readFile(file), Metadata: { writer: 'spark' }, ContentType: 'application/vnd.apache.parquet' }));
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  await createGlueParquetTable({
    database: 'lake',
    name: 'customers',
    location: `s3://${LAKE}/customers/`,
    columns: [
      { Name: 'customer_id', Type: 'bigint' },
      { Name: 'user', Type: 'struct<email:string,name:string>' },
      { Name: 'amount', Type: 'decimal(10,2)' },
    ],
    partitionKeys: [{ Name: 'year', Type: 'string' }],
    partitions: [['2023'], ['2024']],
  });
  const ecs = new ECSClient({});
  await ecs.send(new CreateClusterCommand({ clusterName: 'lethe' }));
  await ecs.send(new RegisterTaskDefinitionCommand({ family: 'lethe-forget', containerDefinitions: [{ name: 'forget', image: 'lethe:latest', memory: 1024 }] }));
  await ecs.send(new CreateServiceCommand({ cluster: 'lethe', serviceName: 'lethe-forget', taskDefinition: 'lethe-forget', desiredCount: 0 }));
  ecs.destroy();
  return provisionLetheAws(moto, s3, { stateBucket: STATE, queueName: 'lethe', maxReceiveCount: 2, config: stackConfig({}), work });
}

/** The mappers and settings as the Pulumi program writes them, with `settings` changed. */
function stackConfig(settings: Record<string, unknown>): unknown {
  return {
    dataMappers: [
      { id: 'customers', location: { glue: { database: 'lake', table: 'customers' } }, columns: ['customer_id', 'user.email'], partitionKeys: ['year'], deleteOldVersions: true },
    ],
    settings: { maxReceiveCount: 2, visibilityTimeoutSeconds: 30, fleetMaxTasks: 2, forgetConcurrency: 2, queryConcurrency: 2, ...settings },
  };
}

/** Rewrites the config in the state bucket, as a `pulumi up` with other settings would. */
async function writeStackConfig(s3: S3Client, settings: Record<string, unknown>): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: STATE, Key: 'config/lethe.json', Body: JSON.stringify(stackConfig(settings)) }));
}

/** Every lake object's rows, read back with DuckDB from its current version. */
async function readLake(s3: S3Client, work: string, keys = Object.keys(OBJECTS)): Promise<Record<string, Row[]>> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const rows: Record<string, Row[]> = {};
  try {
    for (const key of keys) {
      const file = path.join(work, `read-${key.replace(/\//g, '_')}`);
      const body = await (await s3.send(new GetObjectCommand({ Bucket: LAKE, Key: key }))).Body!.transformToByteArray();
      await writeFile(file, body);
      const result = await connection.runAndReadAll(`SELECT customer_id::VARCHAR AS customer_id, "user", amount::VARCHAR AS amount FROM read_parquet('${file}')`);
      rows[key] = result.getRowObjectsJson() as unknown as Row[];
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return rows;
}

async function versionCounts(s3: S3Client): Promise<Record<string, number>> {
  const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: LAKE, Prefix: 'customers/' }));
  const counts: Record<string, number> = {};
  for (const version of [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])]) counts[version.Key!] = (counts[version.Key!] ?? 0) + 1;
  return counts;
}

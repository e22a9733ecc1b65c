import assert from 'node:assert/strict';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createConsoleBackend } from '../../console/createConsoleBackend';
import { openAwsRuntime } from '../../shared/runtime/openAwsRuntime';
import { ConsoleServer, startConsoleServer } from '../../console/server';
import { asRole, recordedInProcess } from '../support/awsCallRecorder';
import { deployedPolicies } from '../support/deployedPolicies';
import { MotoServer, startMotoServer } from '../support/motoServer';
import { openSession, rawRequest } from '../support/consoleFixture';
import { TEST_HMAC_KEY_PARAMETER, createJobTopic, putHmacKeyParameter } from '../support/letheAwsStack';
import { assertCallsAllowed } from '../support/simulateAwsCalls';

const BUCKET = 'lethe-console-state';

/** `lethe console` with LETHE_MODE=aws: the stack's outputs as environment, state in an S3 bucket (moto). */
describe('lethe console against a stack (LETHE_MODE=aws, on moto_server)', function () {
  this.timeout(60_000);
  let moto: MotoServer;
  let s3: S3Client;
  let server: ConsoleServer | undefined;
  let callsBefore = 0;
  const stackEnv = () => ({
    LETHE_MODE: 'aws',
    LETHE_STATE_BUCKET: BUCKET,
    LETHE_QUEUE_URL: `${moto.endpoint}/123456789012/lethe-deletion`,
    LETHE_DLQ_URL: `${moto.endpoint}/123456789012/lethe-deletion-dlq`,
    LETHE_ATHENA_WORKGROUP: 'lethe',
    LETHE_GLUE_DATABASE: 'lethe',
    LETHE_CLUSTER: 'lethe',
    LETHE_FORGET_SERVICE: 'lethe-forget',
    LETHE_FIND_TASK_DEFINITION: 'lethe-find',
    LETHE_HMAC_KEY_PARAMETER: TEST_HMAC_KEY_PARAMETER,
    LETHE_TOPIC_ARN: `arn:aws:sns:${moto.region}:123456789012:lethe-jobs`,
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_REGION: moto.region,
  });

  before(async function () {
    callsBefore = recordedInProcess().length;
    moto = await startMotoServer();
    s3 = new S3Client({ forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await putHmacKeyParameter();
    await createJobTopic();
  });
  after(async function () {
    await server?.close();
    s3?.destroy();
    await moto?.stop();
  });

  it('refuses to start without the config the Pulumi program writes', async function () {
    await assert.rejects(asRole('operator', () => openAwsRuntime(stackEnv())), { name: 'InputError', message: /s3:\/\/lethe-console-state\/config\/lethe\.json: no lethe config in the state bucket/ });
  });

  it('shows the stack’s mappers and keeps the queue in the state bucket, as hashes', async function () {
    const config = {
      dataMappers: [{ id: 'customers', location: { glue: { database: 'lake', table: 'customers' } }, columns: ['customer_id', 'email'], partitionKeys: ['year'] }],
      settings: { requireApproval: true },
    };
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'config/lethe.json', Body: JSON.stringify(config) }));
    // The console runs with the operator's credentials: every call it makes is recorded as theirs.
    server = await asRole('operator', async () => startConsoleServer({ backend: createConsoleBackend(await openAwsRuntime(stackEnv())), port: 0 }));
    const session = await openSession(server);
    const mappers = await rawRequest(server.origin, { path: '/mappers', headers: { cookie: session.cookie } });
    assert.equal(mappers.status, 200);
    assert.match(mappers.body, /<code>glue:lake\.customers<\/code>/);
    assert.match(mappers.body, /aws · s3:\/\/lethe-console-state\//);
    const enqueue = await rawRequest(server.origin, {
      method: 'POST',
      path: '/queue/enqueue',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.origin, cookie: session.cookie },
      body: new URLSearchParams({ _csrf: session.csrf, ids: 'stack-person@example.org' }).toString(),
    });
    assert.equal(enqueue.status, 303);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'queue/' }));
    assert.equal(listed.Contents?.length, 1);
    const queue = await rawRequest(server.origin, { path: '/queue', headers: { cookie: session.cookie } });
    assert.match(queue.body, /1 item in the queue/);
    assert.doesNotMatch(queue.body, /stack-person/);
  });

  it('starts a job by writing a request for the stack’s find task, not by running the task itself', async function () {
    const session = await openSession(server!);
    const started = await rawRequest(server!.origin, {
      method: 'POST',
      path: '/jobs/start',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server!.origin, cookie: session.cookie },
      body: new URLSearchParams({ _csrf: session.csrf, confirm: 'yes' }).toString(),
    });
    assert.equal(started.status, 303);
    const jobId = /\/jobs\/([^/?#]+)/.exec(String(started.headers.location))?.[1];
    assert.ok(jobId, `redirect to the job: ${started.headers.location}`);
    let requests: string[] = [];
    for (let i = 0; i < 50 && requests.length === 0; i++) {
      requests = ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'requests/' }))).Contents ?? []).map((o) => o.Key!);
      if (requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(requests.length, 1);
    assert.match(requests[0]!, new RegExp(`^requests/.*-${jobId}\\.json$`));
    const request = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: requests[0]! }))).Body!.transformToString()) as Record<string, unknown>;
    assert.equal(request.jobId, jobId);
  });

  it('says the state bucket is unreachable when it is gone', async function () {
    const session = await openSession(server!);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    for (const object of listed.Contents ?? []) await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: object.Key! }));
    await s3.send(new DeleteBucketCommand({ Bucket: BUCKET }));
    const page = await rawRequest(server!.origin, { path: '/queue', headers: { cookie: session.cookie } });
    assert.equal(page.status, 503);
    assert.match(page.body, /State store unreachable/);
    assert.match(page.body, /NoSuchBucket/);
  });

  it('IAM simulation: every AWS call the console made is allowed by the operator policy the stack exports', async function () {
    const calls = recordedInProcess().slice(callsBefore);
    assert.deepEqual([...new Set(calls.map((c) => c.role))], ['operator']);
    await assertCallsAllowed(calls, { deployed: await deployedPolicies(), testEnvironment: stackEnv() });
  });
});

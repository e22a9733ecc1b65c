import assert from 'node:assert/strict';
import { CreateBucketCommand, GetObjectTaggingCommand, ListObjectVersionsCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { S3StateStore } from '../../shared/adapters/aws/S3StateStore';
import { parseStateKey } from '../../shared/model/identifiers';
import { MotoServer, startMotoServer } from '../support/motoServer';

describe('S3StateStore on moto_server', function () {
  this.timeout(60_000);
  let moto: MotoServer;
  let s3: S3Client;
  let state: S3StateStore;
  const bucket = 'lethe-state';

  before(async () => {
    moto = await startMotoServer();
    s3 = new S3Client({ forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    state = new S3StateStore({ client: s3, bucket, prefix: 'lethe/' });
  });

  after(async () => {
    s3?.destroy();
    await moto?.stop();
  });

  it('creates a key once: a second create is a conflict and the first body stays', async () => {
    const etag = await state.create(parseStateKey('lock.json'), '{"jobId":"a"}');
    await assert.rejects(state.create(parseStateKey('lock.json'), '{"jobId":"b"}'), { name: 'ConflictError', message: /s3:\/\/lethe-state\/lethe\/lock\.json.*already exists/ });
    const read = await state.read(parseStateKey('lock.json'));
    assert.equal(read?.body.toString(), '{"jobId":"a"}');
    assert.equal(read?.etag, etag);
  });

  it('tags a manifest as holding match IDs, for the lifecycle backstop, and nothing else', async () => {
    await state.create(parseStateKey('jobs/j9/manifests/customers/matches.jsonl'), '{}\n');
    await state.create(parseStateKey('jobs/j9/job.json'), '{}');
    const tags = async (key: string) => (await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: `lethe/${key}` }))).TagSet ?? [];
    assert.deepEqual(await tags('jobs/j9/manifests/customers/matches.jsonl'), [{ Key: 'lethe-content', Value: 'match-ids' }]);
    assert.deepEqual(await tags('jobs/j9/job.json'), []);
  });

  it('replaces only at the version read', async () => {
    const first = await state.create(parseStateKey('jobs/j1/job.json'), '{"status":"QUEUED"}');
    const second = await state.replace(parseStateKey('jobs/j1/job.json'), '{"status":"FINDING"}', first);
    assert.notEqual(second, first);
    await assert.rejects(state.replace(parseStateKey('jobs/j1/job.json'), '{"status":"CANCELLED"}', first), { name: 'ConflictError', message: /changed since it was read/ });
    assert.equal((await state.read(parseStateKey('jobs/j1/job.json')))?.body.toString(), '{"status":"FINDING"}');
    await assert.rejects(state.replace(parseStateKey('jobs/j1/missing.json'), 'x', first), { name: 'ConflictError', message: /was deleted/ });
  });

  it('lists keys under a prefix, relative to the store, in order', async () => {
    await state.create(parseStateKey('jobs/j2/events/002.json'), '{}');
    await state.create(parseStateKey('jobs/j2/events/001.json'), '{}');
    await state.create(parseStateKey('jobs/j20/events/001.json'), '{}');
    const keys: string[] = [];
    for await (const key of state.list(parseStateKey('jobs/j2/'))) keys.push(key);
    assert.deepEqual(keys, ['jobs/j2/events/001.json', 'jobs/j2/events/002.json']);
    assert.equal(state.describe(parseStateKey('jobs/j2/events/001.json')), 's3://lethe-state/lethe/jobs/j2/events/001.json');
  });

  it('deletes a key with all its versions, so no noncurrent copy of a manifest stays readable', async () => {
    const key = parseStateKey('jobs/j3/manifests/customers/matches.jsonl');
    const etag = await state.create(key, 'line 1\n');
    const etag2 = await state.replace(key, 'line 1\nline 2\n', etag);
    await state.create(parseStateKey(`${key}.bak`), 'other key sharing the prefix\n');
    await assert.rejects(state.delete(key, etag), { name: 'ConflictError' });
    await state.delete(key, etag2);
    assert.equal(await state.read(key), undefined);
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: `lethe/${key}` }));
    assert.deepEqual([...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])].map((v) => v.Key), [`lethe/${key}.bak`]);
    await state.delete(key);
    await state.delete(parseStateKey('jobs/never/written.json'));
  });
});

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DirectoryStateStore } from '../../../shared/adapters/local/DirectoryStateStore';
import { parseJobId, parseObjectUri } from '../../../shared/model/identifiers';
import { ObjectResult } from '../../../shared/model/objectResult';
import { readObjectResult, writeObjectResult } from '../../../shared/records/objectResults';

const jobId = parseJobId('20261202T150000Z-a1b2c3');
const object = parseObjectUri('/lake/part-0.parquet');
const result = (fields: Partial<ObjectResult>): ObjectResult => ({
  jobId,
  mapperIds: ['m'],
  object,
  outcome: 'failed',
  attempts: 1,
  durationMs: 0,
  finishedAt: '2026-12-02T15:00:00.000Z',
  ...fields,
});

describe('writeObjectResult with the record as the writer last saw it', () => {
  let root: string;
  let state: DirectoryStateStore;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'lethe-results-'));
    state = new DirectoryStateStore(root);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('creates, then replaces its own record, following each write', async () => {
    const seen = { etag: undefined };
    await writeObjectResult(state, result({ error: 'replacing; not confirmed yet' }), seen);
    assert.equal(seen.etag, (await readObjectResult(state, jobId, object))!.etag);
    await writeObjectResult(state, result({ outcome: 'updated', rowsDeleted: 1 }), seen);
    assert.deepEqual((await readObjectResult(state, jobId, object))!.result, result({ outcome: 'updated', rowsDeleted: 1 }));
  });

  it('keeps a final result another delivery wrote since, and returns it', async () => {
    const seen = { etag: undefined };
    await writeObjectResult(state, result({ error: 'replacing; not confirmed yet' }), seen);
    const other = result({ outcome: 'updated', rowsDeleted: 1, attempts: 2 });
    await writeObjectResult(state, other);
    assert.deepEqual(await writeObjectResult(state, result({ outcome: 'unchanged', rowsDeleted: 0 }), seen), other);
    assert.deepEqual((await readObjectResult(state, jobId, object))!.result, other);
  });

  it('replaces a failed attempt another delivery recorded since', async () => {
    const seen = { etag: undefined };
    await writeObjectResult(state, result({ error: 'first' }), seen);
    await writeObjectResult(state, result({ error: 'second', attempts: 2 }));
    const mine = result({ outcome: 'updated', rowsDeleted: 1 });
    assert.deepEqual(await writeObjectResult(state, mine, seen), mine);
    assert.deepEqual((await readObjectResult(state, jobId, object))!.result, mine);
  });
});

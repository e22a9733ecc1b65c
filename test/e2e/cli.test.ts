import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildTestLake } from '../support/localLake';

const cli = path.resolve(__dirname, '../../tasks/cli.ts');

/** Runs the CLI from the repository (where tsx resolves) against the lake in `dir`. */
function lethe(args: string[], dir: string) {
  const config = args.includes('--config') ? [] : ['--config', path.join(dir, 'lethe.yaml')];
  const run = spawnSync(process.execPath, ['--import', 'tsx', cli, ...config, ...args], { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('the lethe command line', function () {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lethe-cli-'));
    await buildTestLake(dir);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('refuses a malformed config with one clear line, exit 1, and writes nothing', async () => {
    const bad = path.join(dir, 'bad.yaml');
    await writeFile(bad, 'dataMappers:\n  - id: x\n    location: ./lake\n    format: avro\n    columns: [id]\n');
    const run = lethe(['--config', bad, 'enqueue', '17'], dir);
    assert.equal(run.code, 1);
    assert.equal(run.stderr, `lethe: ${bad}: dataMappers[0] (mapper "x").format: expected one of parquet, json, csv, got "avro"\n`);
    assert.equal(existsSync(path.join(dir, '.lethe')), false);
  });

  it('refuses a bad match ID without echoing it, and leaves the queue unchanged', () => {
    const run = lethe(['enqueue', '42', ' '], dir);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^lethe: match ID #2: a match ID must not be empty or blank\n$/);
    assert.equal(JSON.parse(lethe(['--json', 'queue', 'list'], dir).stdout).total, 0);
  });

  it('enqueues 1,000,000 IDs from a file, lists them by hash, and removes one', async () => {
    const file = path.join(dir, 'ids.txt');
    await writeFile(file, Array.from({ length: 1_000_000 }, (_, i) => `user-${i}@example.org`).join('\n'));
    const run = lethe(['enqueue', '--file', file, '--mapper', 'customers'], dir);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /enqueued 1000000 match IDs/);
    const page = JSON.parse(lethe(['--json', 'queue', 'list', '--offset', '999999', '--limit', '5'], dir).stdout);
    assert.equal(page.total, 1_000_000);
    assert.equal(page.items.length, 1);
    assert.match(page.items[0].matchHash, /^[0-9a-f]{64}$/);
    assert.doesNotMatch(JSON.stringify(page), /example\.org/);
    assert.equal(lethe(['queue', 'remove', page.items[0].id], dir).code, 0);
    assert.equal(JSON.parse(lethe(['--json', 'queue', 'list', '--limit', '1'], dir).stdout).total, 999_999);
    const bogus = lethe(['queue', 'remove', 'nope.1'], dir);
    assert.equal(bogus.code, 1);
    assert.match(bogus.stderr, /no such item: nope\.1/);
  });

  it('runs a job with --wait, exit 0, and reports it in every format', async () => {
    await rm(path.join(dir, 'state'), { recursive: true, force: true });
    assert.equal(lethe(['enqueue', '12', '--composite', 'first_name=Ann,last_name=Lee', '--mapper', 'customers'], dir).code, 0);
    const run = lethe(['--json', 'job', 'start', '--wait'], dir);
    assert.equal(run.code, 0, run.stderr);
    const { job } = JSON.parse(run.stdout);
    assert.equal(job.status, 'COMPLETED');
    assert.equal(job.counters.rowsDeleted, 2);
    const md = lethe(['job', 'report', job.id, '--format', 'md'], dir);
    assert.match(md.stdout, /COMPLETED: 2 rows deleted from 2 of 2 objects/);
    assert.match(lethe(['job', 'report', job.id, '--format', 'html'], dir).stdout, /^<!doctype html>/);
    assert.match(lethe(['job', 'status', job.id], dir).stdout, /rows deleted 2/);
    assert.match(lethe(['job', 'events', job.id], dir).stdout, /JobFinished\s+\{"status":"COMPLETED"\}/);
  });

  it('says why a job cannot start or be found, exit 1', () => {
    const empty = lethe(['job', 'start'], dir);
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /the deletion queue is empty/);
    const missing = lethe(['job', 'status', '20990101T000000Z-abcdef'], dir);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /job 20990101T000000Z-abcdef not found/);
    assert.equal(lethe(['frobnicate'], dir).code, 1);
  });
});

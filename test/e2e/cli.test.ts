import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildTestLake } from '../support/localLake';

const cli = path.resolve(__dirname, '../../tasks/cli.ts');

/** Runs the CLI from the repository (where tsx resolves) against the lake in `dir`; `input` is piped to its stdin. */
function lethe(args: string[], dir: string, input?: string | Buffer) {
  const config = args.includes('--config') ? [] : ['--config', path.join(dir, 'lethe.yaml')];
  const run = spawnSync(process.execPath, ['--import', 'tsx', cli, ...config, ...args], { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...(input === undefined ? {} : { input }) });
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

  it('refuses a composite naming columns its mapper does not declare, exit 1, queue unchanged', async () => {
    await rm(path.join(dir, 'state'), { recursive: true, force: true });
    const named = lethe(['enqueue', '--composite', 'first_name=Ann,nick_name=Al', '--mapper', 'customers'], dir);
    assert.equal(named.code, 1);
    assert.equal(named.stderr, 'lethe: --composite #1: mapper "customers" does not declare column "nick_name" (declared: customer_id, user.email, first_name, last_name)\n');
    const anyMapper = lethe(['enqueue', '17', '--composite', 'FIRST_NAME=Ann,shoe_size=44'], dir);
    assert.equal(anyMapper.code, 1);
    assert.equal(anyMapper.stderr, 'lethe: --composite #1: no data mapper declares all its columns (FIRST_NAME, shoe_size); declared: customers [customer_id, user.email, first_name, last_name], events [customer_id, email], orders [customer_id]\n');
    const file = path.join(dir, 'composites.jsonl');
    await writeFile(file, '{"match": {"customer_id": 3, "email": "x@y.org"}, "mappers": ["orders"]}\n');
    const fromFile = lethe(['enqueue', '--file', file], dir);
    assert.equal(fromFile.code, 1);
    assert.equal(fromFile.stderr, 'lethe: composites.jsonl line 1: mapper "orders" does not declare column "email" (declared: customer_id)\n');
    assert.doesNotMatch(named.stderr + anyMapper.stderr + fromFile.stderr, /Ann|Al\b|44|x@y/);
    assert.equal(JSON.parse(lethe(['--json', 'queue', 'list'], dir).stdout).total, 0);
    assert.equal(lethe(['enqueue', '--composite', 'First_Name=Ann,last_name=Lee'], dir).code, 0, 'column names compare case-insensitively, as find resolves them');
  });

  it('ends UNAPPLIED_MATCHES under --wait with exit 2 when a match fits no column, and keeps it queued', async () => {
    await rm(path.join(dir, 'state'), { recursive: true, force: true });
    assert.equal(lethe(['enqueue', '12'], dir).code, 0);
    assert.equal(lethe(['enqueue', 'not-a-number', '--mapper', 'orders'], dir).code, 0);
    const run = lethe(['job', 'start', '--wait'], dir);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stdout, /ended UNAPPLIED_MATCHES/);
    assert.match(run.stdout, /1 match ID applied to no column of any mapper and stays in the queue/);
    assert.doesNotMatch(run.stdout + run.stderr, /not-a-number/);
    const queue = JSON.parse(lethe(['--json', 'queue', 'list'], dir).stdout);
    assert.equal(queue.total, 1);
    assert.deepEqual(queue.items[0].mappers, ['orders']);
  });
});

describe('lethe enqueue --file - (a script pipes match IDs in)', function () {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lethe-stdin-'));
    await buildTestLake(dir);
  });
  after(() => rm(dir, { recursive: true, force: true }));
  beforeEach(() => rm(path.join(dir, 'state', 'queue'), { recursive: true, force: true }));

  /** Every queue batch file, by name, as the state folder holds it. */
  async function queueFiles(): Promise<Record<string, string>> {
    const folder = path.join(dir, 'state', 'queue');
    if (!existsSync(folder)) return {};
    const names = (await readdir(folder)).sort();
    return Object.fromEntries(await Promise.all(names.map(async (name) => [name, await readFile(path.join(folder, name), 'utf8')])));
  }

  /** What each queued item asks for, read from the batch files themselves (not through lethe). */
  async function queuedRequests(): Promise<Array<{ match: unknown; mappers?: unknown }>> {
    const lines = Object.values(await queueFiles()).flatMap((text) => text.split('\n').filter((line) => line.length > 0));
    return lines.map((line) => {
      const { match, mappers } = JSON.parse(line) as { match: unknown; mappers?: unknown };
      return mappers === undefined ? { match } : { match, mappers };
    });
  }

  const piped = [
    {
      format: 'csv',
      input: 'first_name,last_name\r\nAnn,Lee\r\n"Bo, Jr.",Park\r\n',
      expected: [{ match: { first_name: 'Ann', last_name: 'Lee' } }, { match: { first_name: 'Bo, Jr.', last_name: 'Park' } }],
    },
    { format: 'txt', input: '17\n# from the CRM\n\ncustomer42@example.org\n', expected: [{ match: '17' }, { match: 'customer42@example.org' }] },
    {
      format: 'jsonl',
      input: '"customer9@example.org"\n{"match": {"first_name": "Ann", "last_name": "Lee"}, "mappers": ["customers"]}\n',
      expected: [{ match: 'customer9@example.org' }, { match: { first_name: 'Ann', last_name: 'Lee' }, mappers: ['customers'] }],
    },
  ];
  for (const { format, input, expected } of piped) {
    it(`queues ${format} read from standard input, as crm-export | lethe enqueue --file - --format ${format} does`, async () => {
      const run = lethe(['enqueue', '--file', '-', '--format', format], dir, input);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^enqueued 2 match IDs \(batch \S+\)\n$/);
      assert.deepEqual(await queuedRequests(), expected);
      assert.equal(JSON.parse(lethe(['--json', 'queue', 'list'], dir).stdout).total, 2);
    });
  }

  it('applies --mapper to every ID read from standard input', async () => {
    const run = lethe(['enqueue', '--file', '-', '--format', 'txt', '--mapper', 'events'], dir, 'customer3@example.org\n');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(await queuedRequests(), [{ match: 'customer3@example.org', mappers: ['events'] }]);
  });

  it('reads a named file by its extension unless --format overrides it', async () => {
    const file = path.join(dir, 'export.txt');
    await writeFile(file, 'customer_id\n12\n13\n');
    assert.equal(lethe(['enqueue', '--file', file, '--format', 'csv'], dir).code, 0);
    assert.deepEqual(await queuedRequests(), [{ match: '12' }, { match: '13' }]);
    await rm(path.join(dir, 'state', 'queue'), { recursive: true, force: true });
    assert.equal(lethe(['enqueue', '--file', file], dir).code, 0);
    assert.deepEqual(await queuedRequests(), [{ match: 'customer_id' }, { match: '12' }, { match: '13' }]);
  });

  it('refuses a missing or unknown format and bad input with one clear line, exit 1, queue unchanged', async () => {
    assert.equal(lethe(['enqueue', '5'], dir).code, 0);
    const before = await queueFiles();
    assert.equal(Object.keys(before).length, 1);
    const refusals: Array<{ args: string[]; input?: string | Buffer; stderr: RegExp }> = [
      { args: ['--file', '-'], input: '17\n', stderr: /^lethe: --file -: standard input has no file name to tell its format: add --format txt, csv or jsonl\n$/ },
      { args: ['--file', '-', '--format', 'xml'], input: '17\n', stderr: /^lethe: --format xml: expected txt, csv or jsonl\n$/ },
      { args: ['17', '--format', 'csv'], stderr: /^lethe: --format csv: applies to --file only\n$/ },
      { args: ['--file', '-', '--format', 'csv'], input: 'first_name,last_name\nAnn\n', stderr: /^lethe: standard input row 2: 1 fields, the header has 2\n$/ },
      { args: ['--file', '-', '--format', 'jsonl'], input: '"17"\n{"match": \n', stderr: /^lethe: standard input line 2: [^\n]+\n$/ },
      { args: ['--file', '-', '--format', 'txt'], input: '', stderr: /^lethe: standard input: no match IDs in [^\n]+\n$/ },
      // A Latin-1 export: decoded leniently, "Müller" would become "M\uFFFDller" and match no one.
      { args: ['--file', '-', '--format', 'txt'], input: Buffer.from('Müller\n', 'latin1'), stderr: /^lethe: standard input: not valid UTF-8 \(write the file as UTF-8\)\n$/ },
    ];
    for (const { args, input, stderr } of refusals) {
      const run = lethe(['enqueue', ...args], dir, input);
      assert.equal(run.code, 1, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, stderr);
      assert.equal(run.stdout, '');
      assert.deepEqual(await queueFiles(), before, `${args.join(' ')} changed the queue`);
    }
  });
});

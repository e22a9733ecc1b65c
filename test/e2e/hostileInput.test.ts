import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { LetheError } from '../../shared/model/errors';
import { enqueueMatches } from '../../shared/queue/deletionQueue';
import { loadConfigFile } from '../../shared/runtime/loadConfigFile';
import { hashTree, openLakeWith, runQueuedJob } from '../support/localLake';

/** Strings that break naive quoting and comparison: quotes, backslashes, SQL and glob characters, both unicode normal forms, 10 KB runs. */
const hostileString = fc.oneof(
  fc.string({ unit: fc.constantFrom("'", '"', '\\', '%', '_', '*', '?', '[', ']', ';', '--', 'e', '\u00e9', 'e\u0301', '\u{1F600}', ' ') , minLength: 1, maxLength: 12 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
  fc.constantFrom('\u00e9', 'e\u0301', "O'Brien", 'back\\slash', '"quoted"', "'; DROP TABLE t; --", `${'\u00e9'.repeat(1000)}'\\`),
);

describe('hostile input (fast-check)', function () {
  this.timeout(180_000);

  it('match IDs with quotes, backslashes, SQL and glob characters, either normal form, 1000 characters: exactly the equal rows go, every other line stays byte for byte', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(hostileString, { minLength: 2, maxLength: 8 }), fc.nat(), async (values, pick) => {
        // NFC and NFD spellings of one text are different IDs: both are in the lake, only the erased one goes.
        const erased = new Set(values.filter((_, i) => (pick >> i) % 2 === 0).slice(0, 3));
        if (erased.size === 0) erased.add(values[0]!);
        const lines = values.flatMap((value, i) => [JSON.stringify({ id: i, email: value }), JSON.stringify({ id: i + 100, email: `${value}-kept` })]);
        const lake = await openLakeWith(
          async (dir) => {
            await mkdir(path.join(dir, 'people'));
            await writeFile(path.join(dir, 'people', 'part-0.jsonl'), `${lines.join('\n')}\n`);
          },
          [{ id: 'people', location: './lake/people', format: 'json', columns: ['email'] }],
        );
        try {
          await enqueueMatches(lake.runtime.ports.state, [...erased].map((value) => ({ match: { kind: 'simple' as const, value } })));
          const job = await runQueuedJob(lake);
          assert.equal(job.status, 'COMPLETED', job.failure);
          // Expected from the lines the test wrote, compared by JavaScript string equality.
          const expected = lines.filter((line) => !erased.has((JSON.parse(line) as { email: string }).email));
          const after = (await readFile(path.join(lake.dir, 'lake', 'people', 'part-0.jsonl'), 'utf8')).split('\n').filter((line) => line !== '');
          assert.deepEqual(after, expected);
          assert.equal(job.counters.rowsDeleted, lines.length - expected.length);
          // No clear match ID in the job's records, events or report (only queue and manifests hold them, and cleanup removed those).
          const state = await hashTree(path.join(lake.dir, 'state'));
          for (const file of Object.keys(state)) {
            if (file.startsWith('queue/') || file.startsWith('keys/')) continue;
            const text = await readFile(path.join(lake.dir, 'state', file), 'utf8');
            for (const value of erased) if (value.length >= 6) assert.ok(!text.includes(value) && !text.includes(JSON.stringify(value).slice(1, -1)), `${file} holds a match ID`);
          }
        } finally {
          await lake.cleanup();
        }
      }),
      { numRuns: 6, seed: 20261202 },
    );
  });

  it('a 10 KB match ID or one with a control character is refused at enqueue with one clear error, and the queue stays empty', async () => {
    const lake = await openLakeWith(async (dir) => mkdir(path.join(dir, 'people')), [{ id: 'people', location: './lake/people', format: 'json', columns: ['email'] }]);
    try {
      for (const value of ['x'.repeat(10_240), `${'e\u0301'.repeat(3000)}'\\`]) {
        await assert.rejects(enqueueMatches(lake.runtime.ports.state, [{ match: { kind: 'simple', value } }]), { name: 'InputError', message: /^match 1\.match: a match ID has at most 1024 characters$/ });
      }
      await assert.rejects(enqueueMatches(lake.runtime.ports.state, [{ match: { kind: 'simple', value: "O'Brien" } }, { match: { kind: 'simple', value: 'line\nbreak' } }]), {
        name: 'InputError',
        message: /^match 2\.match: a match ID must not contain control characters$/,
      });
      assert.deepEqual(Object.keys(await hashTree(path.join(lake.dir, 'state'))).filter((f) => f.startsWith('queue/')), []);
    } finally {
      await lake.cleanup();
    }
  });

  it('partition values with "=", "/" and spaces, percent-encoded in folder names as Hive writes them: the right rows go', async () => {
    const partitions = { 'a=b': [1, 2], 'x/y': [3, 4], 'with space': [5, 6] };
    const lake = await openLakeWith(
      async (dir, run) => {
        for (const [value, ids] of Object.entries(partitions)) {
          const folder = path.join(dir, 'people', `region=${encodeURIComponent(value).replace(/%20/g, '%20')}`);
          await mkdir(folder, { recursive: true });
          await run(`COPY (SELECT id::BIGINT AS id FROM (VALUES ${ids.map((id) => `(${id})`).join(', ')}) v(id)) TO '${path.join(folder, 'part-0.parquet')}' (FORMAT parquet)`);
        }
      },
      [{ id: 'people', location: './lake/people', format: 'parquet', columns: ['id'], partitionKeys: ['region'] }],
    );
    try {
      await enqueueMatches(lake.runtime.ports.state, [{ match: { kind: 'simple', value: '3' } }, { match: { kind: 'simple', value: '6' } }]);
      const job = await runQueuedJob(lake);
      assert.equal(job.status, 'COMPLETED', job.failure);
      const { asyncBufferFromFile, parquetReadObjects } = await import('hyparquet');
      for (const [value, ids] of Object.entries(partitions)) {
        const file = path.join(lake.dir, 'lake', 'people', `region=${encodeURIComponent(value)}`, 'part-0.parquet');
        const rows = await parquetReadObjects({ file: await asyncBufferFromFile(file) });
        assert.deepEqual(rows.map((r) => Number(r.id)), ids.filter((id) => id !== 3 && id !== 6), value);
      }
    } finally {
      await lake.cleanup();
    }
  });

  it('generated lethe.yaml files: each loads or fails with one LetheError naming what is wrong, and the lake is left unchanged', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lethe-yaml-'));
    try {
      await mkdir(path.join(dir, 'lake', 'people'), { recursive: true });
      await writeFile(path.join(dir, 'lake', 'people', 'part-0.jsonl'), '{"id":1}\n');
      const before = await hashTree(path.join(dir, 'lake'));
      const column = fc.oneof(fc.constantFrom('id', 'user.email', 'a b', 'we"ird', "it's", 'dot.ted.path', '', '..'), fc.string({ maxLength: 8 }));
      const mapper = fc.record(
        {
          id: fc.oneof(fc.constantFrom('people', 'bad id', '', 'x/y'), fc.string({ maxLength: 6 })),
          location: fc.oneof(fc.constantFrom('./lake/people', './lake/missing', '/etc', ''), fc.string({ maxLength: 6 })),
          format: fc.oneof(fc.constantFrom('json', 'parquet', 'csv', 'orc'), fc.integer()),
          columns: fc.oneof(fc.array(column, { maxLength: 3 }), fc.string({ maxLength: 4 })),
          partitionKeys: fc.oneof(fc.array(fc.constantFrom('year', 'a=b', 'x/y'), { maxLength: 2 }), fc.constant(null)),
          deleteOldVersions: fc.oneof(fc.boolean(), fc.string({ maxLength: 3 })),
        },
        { requiredKeys: [] },
      );
      const config = fc.record(
        {
          stateDir: fc.oneof(fc.constant('./state'), fc.string({ maxLength: 5 }), fc.integer()),
          dataMappers: fc.oneof(fc.array(mapper, { maxLength: 3 }), fc.string({ maxLength: 4 })),
          settings: fc.oneof(fc.dictionary(fc.constantFrom('queryConcurrency', 'forgetConcurrency', 'hmacKey', 'verify', 'nope'), fc.oneof(fc.integer({ min: -5, max: 100 }), fc.string({ maxLength: 4 }), fc.boolean())), fc.constant([])),
        },
        { requiredKeys: [] },
      );
      let loaded = 0;
      let refused = 0;
      await fc.assert(
        fc.asyncProperty(config, async (generated) => {
          const file = path.join(dir, 'lethe.yaml');
          await writeFile(file, stringify(generated));
          try {
            const result = await loadConfigFile(file);
            loaded++;
            assert.ok(result.dataMappers.every((m) => /^[A-Za-z0-9_-]+$/.test(m.id)), 'a loaded config has valid mapper ids');
          } catch (error) {
            refused++;
            assert.ok(error instanceof LetheError, `not a LetheError: ${String(error)}`);
            assert.equal(error.name, 'InputError', error.message);
            assert.ok(error.message.length > 0 && !/\[object Object\]/.test(error.message), error.message);
          }
        }),
        { numRuns: 300, seed: 20261202 },
      );
      assert.ok(loaded > 0 && refused > 0, `both outcomes were generated (loaded ${loaded}, refused ${refused})`);
      assert.deepEqual(await hashTree(path.join(dir, 'lake')), before);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

import assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DataFormat } from '../../../shared/model/dataMapper';
import { MatchColumnSet } from '../../../shared/ports/QueryExecutor';
import { rewriteObject } from '../../../shared/rewrite/rewriteObject';
import { RewriteResult } from '../../../shared/rewrite/rewriteRequest';
import { loadMatches, matchColumnSet, RewriteWorkspace, sha256File, splitLinesKeepingEnds, withRewriteWorkspace } from '../../support/rewriteFixtures';
import { parseObjectUri } from '../../../shared/model/identifiers';

// Spacing, key order, a blank line, a CRLF line and a last line without "\n" all have to survive.
// The timestamps share one format, so DuckDB reads ts as TIMESTAMP (mixed formats read as VARCHAR).
const JSON_LINES = [
  '{"id": 1, "user": {"email": "ann@x.org", "name": "Ann"}, "ts": "2024-01-02 03:04:05.123456"}\n',
  '{"user":{"name":"Bob","email":"bob@x.org"},"id":2,"ts":"2024-02-03 04:05:06.000000"}\n',
  '\n',
  '{"id":3,   "user": {"email": "ann@x.org", "name": "Ann L"}, "ts":"2024-03-04 05:06:07.000000"}\r\n',
  '{"id":4,"user":null,"ts":null}\n',
  '{"id":5,"user":{"email":"cy@x.org","name":"Cy \\"C\\" \\u00e9"},"ts":"2024-05-06 07:08:09.500000"}',
].join('');

// Quoted delimiters, a quoted newline, doubled quotes and a blank line.
const CSV = [
  'first_name;last_name;note;amount\n',
  'Ann;Lee;"says ""hi""; twice";12.50\n',
  'Ann;Smith;plain;7.25\n',
  '\n',
  'Bob;Lee;"two\nlines";1.00\n',
  '"Ann";"Lee";again;3.10\n',
  'Cy;Ng;;\n',
].join('');

describe('rewriteObject on JSON Lines', function () {
  this.timeout(60_000);

  for (const gzip of [false, true]) {
    const kind = gzip ? 'gzip JSON Lines' : 'JSON Lines';

    it(`${kind}: a struct-nested match (user.email) removes its lines, every other line byte-identical`, async () => {
      await withRewriteWorkspace(async (workspace) => {
        const set = matchColumnSet([{ path: 'user.email', type: 'VARCHAR' }]);
        const { result, output } = await rewrite(workspace, 'json', JSON_LINES, gzip, [set], [[['ann@x.org']]]);
        assert.deepEqual(counts(result), { rowsBefore: 5, rowsAfter: 3, rowsDeleted: 2 });
        assert.equal(output, keepLines(JSON_LINES, [0, 3]));
        assert.equal(result.physicalChanges.length, gzip ? 1 : 0);
      });
    });
  }

  it('a timestamp match removes exactly the line with that instant', async () => {
    await withRewriteWorkspace(async (workspace) => {
      const set = matchColumnSet([{ path: 'ts', type: 'TIMESTAMP' }]);
      const { result, output } = await rewrite(workspace, 'json', JSON_LINES, false, [set], [[['2024-05-06 07:08:09.5']]]);
      assert.equal(result.rowsDeleted, 1);
      assert.equal(output, keepLines(JSON_LINES, [5]));
    });
  });

  it('no match: nothing written, nothing deleted', async () => {
    await withRewriteWorkspace(async (workspace) => {
      const set = matchColumnSet([{ path: 'user.email', type: 'VARCHAR' }]);
      const { result, outputExists } = await rewrite(workspace, 'json', JSON_LINES, false, [set], [[['nobody@x.org']]]);
      assert.deepEqual({ ...counts(result), outputBytes: result.outputBytes, outputExists }, { rowsBefore: 5, rowsAfter: 5, rowsDeleted: 0, outputBytes: 0, outputExists: false });
    });
  });

  it('a malformed line: one UnreadableObjectError naming the object, the input unchanged, no match ID in the message', async () => {
    await withRewriteWorkspace(async (workspace) => {
      const input = path.join(workspace.directory, 'bad.json');
      await writeFile(input, '{"id":1,"email":"ann@x.org"}\n{"id":2,"email":\n');
      const before = await sha256File(input);
      const set = matchColumnSet([{ path: 'email', type: 'VARCHAR' }]);
      await loadMatches(workspace.connection, [set], [[['ann@x.org']]]);
      await assert.rejects(rewriteObject(workspace.connection, request(workspace, 'json', input, [set])), (error: Error) => {
        assert.equal(error.name, 'UnreadableObjectError');
        assert.match(error.message, /mapper "m1".*s3:\/\/bucket\/bad\.json/);
        assert.ok(!error.message.includes('ann@x.org'));
        return true;
      });
      assert.equal(await sha256File(input), before);
      await assert.rejects(stat(path.join(workspace.directory, 'out')), { code: 'ENOENT' });
    });
  });
});

describe('rewriteObject on a large gzip JSON Lines object', function () {
  this.timeout(600_000);

  it('streams a ~100MB object through a 64MB memory_limit, line by line', async () => {
    await withRewriteWorkspace(async (workspace) => {
      const input = path.join(workspace.directory, 'large.json.gz');
      await workspace.connection.run(`SET memory_limit = '1GB'`);
      await workspace.connection.run(
        `COPY (SELECT i AS id, {'email': 'user' || i || '@x.org', 'pad': md5(i::VARCHAR) || md5((i * 7)::VARCHAR)} AS "user" FROM range(800000) r(i))
         TO ${JSON.stringify(input).replace(/"/g, "'")} (FORMAT json, COMPRESSION gzip)`,
      );
      await workspace.connection.run(`SET memory_limit = '64MB'`);
      const set = matchColumnSet([{ path: 'user.email', type: 'VARCHAR' }]);
      await loadMatches(workspace.connection, [set], [[['user0@x.org'], ['user400000@x.org'], ['user799999@x.org']]]);
      const result = await rewriteObject(workspace.connection, request(workspace, 'json', input, [set]));
      assert.deepEqual(counts(result), { rowsBefore: 800_000, rowsAfter: 799_997, rowsDeleted: 3 });
      const before = gunzipSync(await readFile(input)).toString('utf8').split('\n');
      const after = gunzipSync(await readFile(path.join(workspace.directory, 'out'))).toString('utf8').split('\n');
      assert.deepEqual(after, before.filter((line) => !/"email":"user(0|400000|799999)@x\.org"/.test(line)));
    }, '64MB');
  });
});

describe('rewriteObject errors', function () {
  this.timeout(60_000);

  it('a column that holds text in this object but numbers in the catalog: the error names the object and the line, never a value', async () => {
    await withRewriteWorkspace(async (workspace) => {
      const input = path.join(workspace.directory, 'drift.json');
      await writeFile(input, '{"id":"ann@x.org"}\n{"id":"bob@x.org"}\n');
      const set = matchColumnSet([{ path: 'id', type: 'BIGINT' }]);
      await loadMatches(workspace.connection, [set], [[['17']]]);
      await assert.rejects(rewriteObject(workspace.connection, request(workspace, 'json', input, [set])), (error: Error) => {
        assert.equal(error.name, 'UnreadableObjectError');
        // The match column is read as the catalog's BIGINT, so DuckDB stops at the first line that is not one.
        assert.match(error.message, /^mapper "m1": cannot read s3:\/\/bucket\/drift\.json: Invalid Input Error: JSON transform error in file <file>, in line 1: Failed to cast value to numerical: <value>$/);
        assert.doesNotMatch(error.message, /ann@x\.org|bob@x\.org|\/tmp\//);
        return true;
      });
    });
  });
});

describe('rewriteObject on CSV', function () {
  this.timeout(60_000);

  for (const gzip of [false, true]) {
    const kind = gzip ? 'gzip CSV' : 'CSV';

    it(`${kind}: a composite match removes only rows equal in both columns; header, quoting and other records byte-identical`, async () => {
      await withRewriteWorkspace(async (workspace) => {
        const set = matchColumnSet([
          { path: 'first_name', type: 'VARCHAR' },
          { path: 'last_name', type: 'VARCHAR' },
        ]);
        const { result, output } = await rewrite(workspace, 'csv', CSV, gzip, [set], [[['Ann', 'Lee']]]);
        assert.deepEqual(counts(result), { rowsBefore: 5, rowsAfter: 3, rowsDeleted: 2 });
        // Lines: 0 header, 1 Ann Lee, 2 Ann Smith, 3 blank, 4-5 Bob (quoted newline), 6 "Ann" "Lee", 7 Cy.
        assert.equal(output, keepLines(CSV, [1, 6]));
      });
    });
  }

  it('CRLF line ends and a tab delimiter are kept as they are', async () => {
    await withRewriteWorkspace(async (workspace) => {
      const text = 'id\temail\r\n1\tann@x.org\r\n2\t"bob@x.org"\r\n3\tann@x.org\r\n';
      const set = matchColumnSet([{ path: 'email', type: 'VARCHAR' }]);
      const { result, output } = await rewrite(workspace, 'csv', text, false, [set], [[['ann@x.org']]]);
      assert.equal(result.rowsDeleted, 2);
      assert.equal(output, 'id\temail\r\n2\t"bob@x.org"\r\n');
    });
  });

  it('a match inside a record with a quoted newline removes the whole record', async () => {
    await withRewriteWorkspace(async (workspace) => {
      const set = matchColumnSet([{ path: 'first_name', type: 'VARCHAR' }]);
      const { result, output } = await rewrite(workspace, 'csv', CSV, false, [set], [[['Bob']]]);
      assert.equal(result.rowsDeleted, 1);
      assert.equal(output, keepLines(CSV, [4, 5]));
    });
  });

  it('a numeric match compares as a number, not as text (12.5 matches 12.50)', async () => {
    await withRewriteWorkspace(async (workspace) => {
      const set = matchColumnSet([{ path: 'amount', type: 'DOUBLE' }]);
      const { result, output } = await rewrite(workspace, 'csv', CSV, false, [set], [[['12.5']]]);
      assert.equal(result.rowsDeleted, 1);
      assert.equal(output, keepLines(CSV, [1]));
    });
  });
});

function counts(result: RewriteResult) {
  return { rowsBefore: result.rowsBefore, rowsAfter: result.rowsAfter, rowsDeleted: result.rowsDeleted };
}

/** `text` without the lines at the given indexes (lines split after each "\n"). */
function keepLines(text: string, dropped: number[]): string {
  return splitLinesKeepingEnds(text)
    .filter((_, i) => !dropped.includes(i))
    .join('');
}

function request(workspace: RewriteWorkspace, format: DataFormat, inputFile: string, matchSets: MatchColumnSet[]) {
  return {
    format,
    inputFile,
    outputFile: path.join(workspace.directory, 'out'),
    matchSets,
    tempDirectory: workspace.directory,
    context: { mapperId: 'm1', object: parseObjectUri(`s3://bucket/${path.basename(inputFile)}`) },
  };
}

/** Writes `text` (gzipped if asked, under a name that does not say so), rewrites it, returns the output as text. */
async function rewrite(workspace: RewriteWorkspace, format: DataFormat, text: string, gzip: boolean, sets: MatchColumnSet[], values: string[][][]) {
  const input = path.join(workspace.directory, `object.${format}`);
  await writeFile(input, gzip ? gzipSync(Buffer.from(text)) : text);
  const before = await sha256File(input);
  await loadMatches(workspace.connection, sets, values);
  const result = await rewriteObject(workspace.connection, request(workspace, format, input, sets));
  assert.equal(await sha256File(input), before, 'the input is never modified');
  assert.deepEqual((await readdir(workspace.directory)).filter((name) => name.startsWith('rewrite-')), [], 'scratch removed');
  const outputFile = path.join(workspace.directory, 'out');
  const outputExists = await stat(outputFile).then(() => true, () => false);
  if (!outputExists) return { result, output: undefined, outputExists };
  const bytes = await readFile(outputFile);
  assert.equal(result.outputBytes, bytes.length);
  assert.equal(bytes[0] === 0x1f && bytes[1] === 0x8b, gzip, gzip ? 'a gzip object stays gzip' : 'a plain object stays plain');
  return { result, output: (gzip ? gunzipSync(bytes) : bytes).toString('utf8'), outputExists };
}

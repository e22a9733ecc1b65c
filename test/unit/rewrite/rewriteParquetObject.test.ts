import assert from 'node:assert/strict';
import { mkdir, readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { quoteLiteral } from '../../../shared/duckdb/sqlText';
import { MatchColumnSet } from '../../../shared/ports/QueryExecutor';
import { rewriteObject } from '../../../shared/rewrite/rewriteObject';
import { loadMatches, matchColumnSet, PARQUET_TESTING, readWithHyparquet, RewriteWorkspace, sha256File, withRewriteWorkspace } from '../../support/rewriteFixtures';
import { parseObjectUri } from '../../../shared/model/identifiers';

const ROWS = 30_000;

/**
 * Every kind of value a rewrite must keep exactly: decimals (narrow and 38 digits), timestamps in
 * each unit and with a time zone, NaN and -0.0, nested nulls, lists with null elements. Written by
 * DuckDB with field ids, key/value metadata (one value binary) and 10240-row groups.
 */
async function writeSample(workspace: RewriteWorkspace, file: string): Promise<void> {
  await workspace.connection.run(`COPY (
    SELECT
      i AS id,
      CASE WHEN i % 7 = 0 THEN NULL ELSE {'email': 'user' || (i % 1000) || '@x.org', 'name': CASE WHEN i % 5 = 0 THEN NULL ELSE 'n' || i END} END AS "user",
      CAST((i % 500) / 4 AS DECIMAL(10,2)) AS amount,
      CAST('12345678901234567890.0123456789' AS DECIMAL(38,10)) + i AS big,
      TIMESTAMP '2024-01-01 00:00:00.123456' + to_microseconds(i * 1000003) AS ts,
      CAST(TIMESTAMP '2024-01-01 00:00:00.123' + to_milliseconds(i * 7) AS TIMESTAMP_MS) AS ts_ms,
      CAST('2024-01-01 00:00:00.123456789' AS TIMESTAMP_NS) + to_microseconds(i) AS ts_ns,
      CAST(TIMESTAMP '2024-01-01 00:00:00' + to_seconds(i) AS TIMESTAMPTZ) AS ts_tz,
      CASE i % 4 WHEN 0 THEN 'NaN'::DOUBLE WHEN 1 THEN -0.0::DOUBLE WHEN 2 THEN NULL ELSE i / 3 END AS f,
      CASE WHEN i % 3 = 0 THEN NULL ELSE [i, NULL, i + 1] END AS tags
    FROM range(${ROWS}) r(i)
  ) TO ${quoteLiteral(file)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 10240,
    FIELD_IDS {id: 1, "user": {__duckdb_field_id: 2, email: 3, name: 4}, amount: 5, tags: {__duckdb_field_id: 6, element: 7}},
    KV_METADATA {"org.apache.spark.sql.parquet.row.metadata": '{"type":"struct"}', "binary": from_hex('00ff10')})`);
}

describe('rewriteObject on Parquet', function () {
  this.timeout(300_000);

  it('deletes by decimal, timestamp and a composite of a struct field and an id; all else identical, nothing physical changed', async () => {
    await withRewriteWorkspace(async (workspace) => {
      const input = path.join(workspace.directory, 'sample.parquet');
      await writeSample(workspace, input);
      const before = await sha256File(input);
      const sets: MatchColumnSet[] = [
        matchColumnSet([{ path: 'amount', type: 'DECIMAL(10,2)' }]),
        matchColumnSet([{ path: 'ts', type: 'TIMESTAMP' }]),
        matchColumnSet([
          { path: 'user.email', type: 'VARCHAR' },
          { path: 'id', type: 'BIGINT' },
        ]),
      ];
      // amount 12.5 is i % 500 = 50; ts of i = 20000; user7@x.org with id 1007 but not id 2007.
      await loadMatches(workspace.connection, sets, [[['12.50']], [['2024-01-01 05:33:20.183456']], [['user7@x.org', '1007']]]);
      const output = path.join(workspace.directory, 'out.parquet');
      const result = await rewriteObject(workspace.connection, {
        format: 'parquet',
        inputFile: input,
        outputFile: output,
        matchSets: sets,
        tempDirectory: workspace.directory,
        context: { mapperId: 'orders', object: parseObjectUri('s3://orders/sample.parquet') },
      });

      const original = await readWithHyparquet(input);
      const rewritten = await readWithHyparquet(output);
      const deleted = (row: Record<string, unknown>) =>
        row.amount === 12.5 || row.id === 20000n || (row.id === 1007n && (row.user as { email?: string } | undefined)?.email === 'user7@x.org');
      const expected = original.rows.filter((row) => !deleted(row));
      assert.equal(ROWS - expected.length, 60 + 1 + 1);
      assert.deepEqual({ before: result.rowsBefore, after: result.rowsAfter, deleted: result.rowsDeleted }, { before: ROWS, after: expected.length, deleted: 62 });
      assert.deepStrictEqual(rewritten.rows, expected);
      assert.equal(result.outputBytes, (await stat(output)).size);

      assert.deepEqual(rewritten.keyValue, original.keyValue);
      assert.deepEqual([...new Set(rewritten.codecs)], ['ZSTD']);
      assert.deepEqual(rewritten.fieldIds, { id: 1, user: 2, email: 3, name: 4, amount: 5, tags: 6, element: 7 });
      // One row group per source row group, less the rows deleted from it.
      assert.equal(rewritten.rowGroupRows.length, original.rowGroupRows.length);
      rewritten.rowGroupRows.forEach((rows, i) => assert.ok(rows <= original.rowGroupRows[i]! && rows > original.rowGroupRows[i]! - 62));
      assert.deepEqual(result.physicalChanges, []);
      assert.equal(await sha256File(input), before);
    });
  });

  it('a legacy writer file reports what DuckDB changes: INT96 timestamps, REQUIRED columns', async () => {
    // alltypes_plain (Impala, INT96) and datapage_v1 (REQUIRED columns) from parquet-testing.
    const changes = async (name: string, column: string, type: string, value: string) =>
      withRewriteWorkspace(async (workspace) => {
        const set = matchColumnSet([{ path: column, type }]);
        await loadMatches(workspace.connection, [set], [[[value]]]);
        const result = await rewriteObject(workspace.connection, {
          format: 'parquet',
          inputFile: path.join(PARQUET_TESTING, 'data', name),
          outputFile: path.join(workspace.directory, 'out.parquet'),
          matchSets: [set],
          tempDirectory: workspace.directory,
          context: { mapperId: 'm', object: parseObjectUri(`s3://parquet-testing/${name}`) },
        });
        return result.physicalChanges;
      });
    assert.deepEqual(await changes('alltypes_plain.parquet', 'id', 'INTEGER', '4'), ['INT96 column timestamp_col written as INT64 TIMESTAMP(MICROS)']);
    assert.deepEqual(await changes('datapage_v1-snappy-compressed-checksum.parquet', 'a', 'INTEGER', '50462976'), [
      'REQUIRED column a written as OPTIONAL',
      'REQUIRED column b written as OPTIONAL',
    ]);
  });

  it('keeps row order when more scattered rows go than the bitmap holds (the sorted path)', async () => {
    await withRewriteWorkspace(async (workspace) => {
      const input = path.join(workspace.directory, 'scattered.parquet');
      // Rows in descending id order, so any reordering by id would show.
      await workspace.connection.run(`COPY (SELECT 119999 - i AS id, 'v' || i AS v FROM range(120000) r(i)) TO ${quoteLiteral(input)} (FORMAT parquet)`);
      const set = matchColumnSet([{ path: 'id', type: 'BIGINT' }]);
      // More than MAX_BITMAP_ROWS (50,000), so the rewrite sorts by row number to keep order.
      const even = Array.from({ length: 60_000 }, (_, i) => [String(i * 2)]);
      await loadMatches(workspace.connection, [set], [even]);
      const output = path.join(workspace.directory, 'out.parquet');
      const result = await rewriteObject(workspace.connection, {
        format: 'parquet',
        inputFile: input,
        outputFile: output,
        matchSets: [set],
        tempDirectory: workspace.directory,
        context: { mapperId: 'm', object: parseObjectUri('s3://t/scattered.parquet') },
      });
      assert.equal(result.rowsDeleted, 60_000);
      const original = await readWithHyparquet(input);
      assert.deepStrictEqual((await readWithHyparquet(output)).rows, original.rows.filter((row) => (row.id as bigint) % 2n === 1n));
    });
  });

  it('rewrites a file several times larger than DuckDB memory_limit (64MB)', async function () {
    this.timeout(600_000);
    await withRewriteWorkspace(async (workspace) => {
      const input = path.join(workspace.directory, 'large.parquet');
      // ~200MB of incompressible text, written with a generous limit; the rewrite then gets 64MB.
      await workspace.connection.run(`SET memory_limit = '1GB'`);
      await workspace.connection.run(
        `COPY (SELECT i AS id, md5(i::VARCHAR) || md5((i * 31)::VARCHAR) || md5((i * 17)::VARCHAR) AS payload FROM range(2000000) r(i))
         TO ${quoteLiteral(input)} (FORMAT parquet, COMPRESSION uncompressed)`,
      );
      const inputBytes = (await stat(input)).size;
      assert.ok(inputBytes > 150 * 1024 * 1024, `input is ${inputBytes} bytes`);
      await workspace.connection.run(`SET memory_limit = '64MB'`);
      const set = matchColumnSet([{ path: 'id', type: 'BIGINT' }]);
      await loadMatches(workspace.connection, [set], [[['0'], ['999999'], ['1999999']]]);
      const output = path.join(workspace.directory, 'out.parquet');
      const result = await rewriteObject(workspace.connection, {
        format: 'parquet',
        inputFile: input,
        outputFile: output,
        matchSets: [set],
        tempDirectory: workspace.directory,
        context: { mapperId: 'big', object: parseObjectUri('s3://big/large.parquet') },
      });
      assert.deepEqual({ before: result.rowsBefore, deleted: result.rowsDeleted }, { before: 2_000_000, deleted: 3 });
      const settings = await workspace.connection.runAndReadAll(`SELECT current_setting('threads') AS threads, current_setting('memory_limit') AS memory`);
      assert.deepEqual(settings.getRowObjectsJS(), [{ threads: 2n, memory: '61.0 MiB' }], 'the instance is left as the rewrite found it');
      assert.deepEqual((await readdir(workspace.directory)).filter((name) => name.startsWith('rewrite-')), [], 'scratch removed');
      // The limit was the rewrite's; checking the output may use more.
      await workspace.connection.run(`SET memory_limit = '1GB'`);
      const [check] = (
        await workspace.connection.runAndReadAll(
          `SELECT count(*) AS n, min(id) AS lo, max(id) AS hi, bool_and(payload = md5(id::VARCHAR) || md5((id * 31)::VARCHAR) || md5((id * 17)::VARCHAR)) AS intact FROM read_parquet(${quoteLiteral(output)})`,
        )
      ).getRowObjectsJS();
      assert.deepEqual(check, { n: 1_999_997n, lo: 1n, hi: 1_999_998n, intact: true });
    }, '64MB');
  });
});

describe('rewriteObject on a Parquet object inside hive-style folders', function () {
  this.timeout(60_000);

  it('does not add the folder keys as columns (year=2024/ stays out of the file)', async () => {
    await withRewriteWorkspace(async (workspace) => {
      const folder = path.join(workspace.directory, 'year=2024');
      await mkdir(folder);
      const input = path.join(folder, 'part-0.parquet');
      await workspace.connection.run(`COPY (SELECT i AS id FROM range(10) r(i)) TO ${quoteLiteral(input)} (FORMAT parquet)`);
      const set = matchColumnSet([{ path: 'id', type: 'BIGINT' }]);
      await loadMatches(workspace.connection, [set], [[['3']]]);
      const output = path.join(folder, 'out.parquet');
      const result = await rewriteObject(workspace.connection, {
        format: 'parquet',
        inputFile: input,
        outputFile: output,
        matchSets: [set],
        tempDirectory: workspace.directory,
        context: { mapperId: 'm', object: parseObjectUri('s3://t/year=2024/part-0.parquet') },
      });
      assert.equal(result.rowsAfter, 9);
      const rows = (await readWithHyparquet(output)).rows;
      assert.deepEqual(Object.keys(rows[0]!), ['id']);
      assert.deepEqual(rows.map((row) => row.id), [0n, 1n, 2n, 4n, 5n, 6n, 7n, 8n, 9n]);
    });
  });
});

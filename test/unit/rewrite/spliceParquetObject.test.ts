import assert from 'node:assert/strict';
import { open, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { quoteLiteral } from '../../../shared/duckdb/sqlText';
import { MatchColumnSet } from '../../../shared/ports/QueryExecutor';
import { rewriteObject } from '../../../shared/rewrite/rewriteObject';
import { loadMatches, matchColumnSet, PARQUET_TESTING, readWithHyparquet, RewriteWorkspace, sha256File, withRewriteWorkspace } from '../../support/rewriteFixtures';
import { parseObjectUri } from '../../../shared/model/identifiers';

const GROUPS = 10;
const GROUP_ROWS = 4096;

/**
 * Ten row groups of mixed types as DuckDB writes them (so a re-encoded group can have the source's
 * schema): field ids, key/value metadata, zstd, and bloom filters on the dictionary columns.
 */
async function writeTenGroups(workspace: RewriteWorkspace, file: string): Promise<void> {
  await workspace.connection.run(`COPY (
    SELECT
      i AS id,
      'user' || (i % 300) || '@x.org' AS email,
      CAST((i % 500) / 4 AS DECIMAL(10,2)) AS amount,
      CAST(TIMESTAMP '2024-01-01 00:00:00.123' + to_milliseconds(i * 7) AS TIMESTAMP_MS) AS ts_ms,
      CASE WHEN i % 7 = 0 THEN NULL ELSE {'name': 'n' || i, 'score': i % 11} END AS profile,
      CASE WHEN i % 3 = 0 THEN NULL ELSE [i, NULL, i + 1] END AS tags
    FROM range(${GROUPS * GROUP_ROWS}) r(i)
  ) TO ${quoteLiteral(file)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${GROUP_ROWS},
    FIELD_IDS {id: 1, email: 2, amount: 3, ts_ms: 4, profile: {__duckdb_field_id: 5, name: 6, score: 7}, tags: {__duckdb_field_id: 8, element: 9}},
    KV_METADATA {"org.apache.spark.sql.parquet.row.metadata": '{"type":"struct"}', "binary": from_hex('00ff10')})`);
}

async function rewrite(workspace: RewriteWorkspace, input: string, sets: MatchColumnSet[], object: string) {
  return rewriteObject(workspace.connection, {
    format: 'parquet',
    inputFile: input,
    outputFile: path.join(workspace.directory, 'out.parquet'),
    matchSets: sets,
    tempDirectory: workspace.directory,
    context: { mapperId: 'orders', object: parseObjectUri(object) },
  });
}

/** Column chunk byte ranges as hyparquet (not lethe's footer code) reads them. */
async function chunkBytes(file: string): Promise<Buffer[][]> {
  const hyparquet = await import('hyparquet');
  const handle = await open(file, 'r');
  try {
    const bytes = await handle.readFile();
    const metadata = hyparquet.parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    return metadata.row_groups.map((group) =>
      group.columns.map((column) => {
        const meta = column.meta_data!;
        const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
        return bytes.subarray(start, start + Number(meta.total_compressed_size));
      }),
    );
  } finally {
    await handle.close();
  }
}

describe('rewriteObject on Parquet: the row-group splice', function () {
  this.timeout(120_000);

  it('re-encodes only the row groups holding a match; every other row identical (hyparquet), untouched chunks byte for byte', async () => {
    await withRewriteWorkspace(async (workspace) => {
      const input = path.join(workspace.directory, 'ten-groups.parquet');
      await writeTenGroups(workspace, input);
      const before = await sha256File(input);
      const set = matchColumnSet([{ path: 'id', type: 'BIGINT' }]);
      // Rows 3 * 4096 + 5 (group 3), and two rows of group 7.
      const gone = [3 * GROUP_ROWS + 5, 7 * GROUP_ROWS, 8 * GROUP_ROWS - 1];
      await loadMatches(workspace.connection, [set], [gone.map((id) => [String(id)])]);
      const result = await rewrite(workspace, input, [set], 's3://orders/ten-groups.parquet');

      const output = path.join(workspace.directory, 'out.parquet');
      const original = await readWithHyparquet(input);
      const rewritten = await readWithHyparquet(output);
      assert.deepStrictEqual(rewritten.rows, original.rows.filter((row) => !gone.includes(Number(row.id))));
      assert.deepEqual({ before: result.rowsBefore, after: result.rowsAfter, deleted: result.rowsDeleted }, { before: 40_960, after: 40_957, deleted: 3 });
      assert.deepEqual(rewritten.keyValue, original.keyValue);
      assert.deepEqual(rewritten.fieldIds, original.fieldIds);
      assert.deepEqual(rewritten.rowGroupRows, [4096, 4096, 4096, 4095, 4096, 4096, 4096, 4094, 4096, 4096]);
      assert.deepEqual(result.physicalChanges, [
        'row-group splice: row groups 3, 7 of 10 re-encoded by DuckDB, the other 8 copied byte for byte',
        "row group 3: bloom filters rewritten as DuckDB's",
        "row group 7: bloom filters rewritten as DuckDB's",
      ]);

      const sourceChunks = await chunkBytes(input);
      const outputChunks = await chunkBytes(output);
      for (const group of [0, 1, 2, 4, 5, 6, 8, 9]) {
        sourceChunks[group]!.forEach((chunk, column) => assert.ok(chunk.equals(outputChunks[group]![column]!), `row group ${group} column ${column} byte-identical`));
      }
      assert.ok(!sourceChunks[3]![0]!.equals(outputChunks[3]![0]!), 'row group 3 re-encoded');
      // What S3 may copy server-side: the leading magic and the eight kept groups, holding the source's bytes at the same offsets.
      const [sourceBytes, outputBytes] = [await readFile(input), await readFile(output)];
      assert.equal(result.unchangedRanges?.length, 9);
      assert.deepEqual(result.unchangedRanges?.[0], { offset: 0, length: 4 });
      for (const range of result.unchangedRanges ?? []) {
        assert.ok(outputBytes.subarray(range.offset, range.offset + range.length).equals(sourceBytes.subarray(range.offset, range.offset + range.length)));
      }
      // DuckDB, a second reader, agrees, and uses the moved bloom filters without error.
      const [check] = (await workspace.connection.runAndReadAll(`SELECT count(*) AS n, count(*) FILTER (WHERE email = 'user5@x.org') AS emails FROM read_parquet(${quoteLiteral(output)})`)).getRowObjectsJS();
      assert.deepEqual(check, { n: 40_957n, emails: BigInt(original.rows.filter((row) => row.email === 'user5@x.org' && !gone.includes(Number(row.id))).length) });
      assert.equal(await sha256File(input), before);
      assert.equal(result.outputSha256, await sha256File(output), 'the hash made while checking the copies is the output\'s');
    });
  });

  it('leaves no byte of a deleted row in the output: not in its old row group, statistics, bloom filter area or the gaps', async () => {
    await withRewriteWorkspace(async (workspace) => {
      const input = path.join(workspace.directory, 'plain.parquet');
      // Uncompressed and without dictionaries, so each secret is in the file as plain text.
      await workspace.connection.run(`COPY (SELECT i AS id, 'secret-' || i || '-end' AS note FROM range(6 * 2048) r(i))
        TO ${quoteLiteral(input)} (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 2048, DICTIONARY_COMPRESSION_RATIO_THRESHOLD -1)`);
      const contains = async (file: string, text: string) => (await readFile(file)).includes(Buffer.from(text));
      // Row 2048 opens row group 1 (its note is the group's min statistic too); row 4095 closes it,
      // so its bytes are where a shorter re-encoded group leaves the old group's tail.
      assert.ok(await contains(input, 'secret-2048-end'));
      const set = matchColumnSet([{ path: 'id', type: 'BIGINT' }]);
      await loadMatches(workspace.connection, [set], [[['2048'], ['4095'], ['9000']]]);
      const result = await rewrite(workspace, input, [set], 's3://t/plain.parquet');
      assert.match(result.physicalChanges[0]!, /^row-group splice: row groups 1, 4 of 6/);
      const output = path.join(workspace.directory, 'out.parquet');
      assert.equal(await contains(output, 'secret-2048-end'), false);
      assert.equal(await contains(output, 'secret-4095-end'), false);
      assert.equal(await contains(output, 'secret-9000-end'), false);
      assert.ok(await contains(output, 'secret-2049-end'));
      assert.ok(await contains(output, 'secret-4999-end'));
      assert.deepEqual((await readWithHyparquet(output)).rows.length, 6 * 2048 - 3);
    });
  });

  it('drops a row group whose every row matches, re-encoding nothing', async () => {
    await withRewriteWorkspace(async (workspace) => {
      const input = path.join(workspace.directory, 'groups.parquet');
      await workspace.connection.run(`COPY (SELECT i AS id, i // 2048 AS batch FROM range(4 * 2048) r(i)) TO ${quoteLiteral(input)} (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
      const set = matchColumnSet([{ path: 'batch', type: 'BIGINT' }]);
      await loadMatches(workspace.connection, [set], [[['2']]]);
      const result = await rewrite(workspace, input, [set], 's3://t/groups.parquet');
      const rewritten = await readWithHyparquet(path.join(workspace.directory, 'out.parquet'));
      assert.deepEqual(rewritten.rowGroupRows, [2048, 2048, 2048]);
      assert.deepEqual(rewritten.rows.map((row) => Number(row.batch)), [...Array(2048).fill(0), ...Array(2048).fill(1), ...Array(2048).fill(3)]);
      assert.deepEqual(result.physicalChanges, ['row-group splice: row group 2 of 4 dropped (every row matched), the other 3 copied byte for byte']);
    });
  });

  it('falls back to the full rewrite, saying why, when DuckDB would write a touched group with another schema (REQUIRED columns)', async () => {
    await withRewriteWorkspace(async (workspace) => {
      // parquet-testing: five row groups of REQUIRED float columns; DuckDB writes columns OPTIONAL.
      const input = path.join(PARQUET_TESTING, 'data', 'floating_orders_nan_count.parquet');
      const original = await readWithHyparquet(input);
      const target = original.rows.findIndex((row) => row.double_ieee754 === 5);
      assert.ok(target >= 0);
      const set = matchColumnSet([{ path: 'double_ieee754', type: 'DOUBLE' }]);
      await loadMatches(workspace.connection, [set], [[['5']]]);
      const result = await rewrite(workspace, input, [set], 's3://t/floating.parquet');
      const gone = original.rows.filter((row) => row.double_ieee754 === 5).length;
      assert.equal(result.rowsDeleted, gone);
      assert.ok(gone < original.rows.length / 2);
      assert.equal(result.physicalChanges[0], 'full rewrite instead of a row-group splice: DuckDB re-encodes row group 0 with another schema (column float_ieee754: repetition REQUIRED written as OPTIONAL)');
      const rewritten = await readWithHyparquet(path.join(workspace.directory, 'out.parquet'));
      assert.deepStrictEqual(rewritten.rows, original.rows.filter((row) => row.double_ieee754 !== 5));
    });
  });
});

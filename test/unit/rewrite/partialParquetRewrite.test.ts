import assert from 'node:assert/strict';
import { open, readFile, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { quoteLiteral } from '../../../shared/duckdb/sqlText';
import { ByteRange } from '../../../shared/ports/ObjectStore';
import { MatchColumnSet } from '../../../shared/ports/QueryExecutor';
import { PartialSourceFile } from '../../../shared/rewrite/partialSourceFile';
import { rewriteObject } from '../../../shared/rewrite/rewriteObject';
import { loadMatches, matchColumnSet, PARQUET_TESTING, readWithHyparquet, RewriteWorkspace, withRewriteWorkspace } from '../../support/rewriteFixtures';
import { parseObjectUri } from '../../../shared/model/identifiers';

const GROUPS = 10;
const GROUP_ROWS = 4096;

/** A partial copy of `source` that reads ranges from it as a store would, counting what it reads. */
async function partialCopyOf(source: string, file: string): Promise<{ partial: PartialSourceFile; bytesRead: () => number }> {
  let bytesRead = 0;
  const partial = await PartialSourceFile.create(file, (await stat(source)).size, async (ranges) => {
    const bytes = await readFile(source);
    const handle = await open(file, 'r+');
    try {
      for (const range of ranges) {
        await handle.write(bytes, range.offset, range.length, range.offset);
        bytesRead += range.length;
      }
    } finally {
      await handle.close();
    }
  });
  return { partial, bytesRead: () => bytesRead };
}

/** What a store does with the ranges the rewrite never read: puts the source's own bytes there. */
async function fillFrom(source: string, file: string, ranges: readonly ByteRange[]): Promise<Buffer> {
  const [from, into] = [await readFile(source), await readFile(file)];
  for (const range of ranges) from.copy(into, range.offset, range.offset, range.offset + range.length);
  await writeFile(file, into);
  return into;
}

async function rewrite(workspace: RewriteWorkspace, input: string, output: string, sets: MatchColumnSet[], partialInput?: PartialSourceFile) {
  return rewriteObject(workspace.connection, {
    format: 'parquet',
    inputFile: input,
    ...(partialInput ? { partialInput } : {}),
    outputFile: output,
    matchSets: sets,
    tempDirectory: workspace.directory,
    context: { mapperId: 'orders', object: parseObjectUri('s3://orders/part-0.parquet') },
  });
}

describe('rewriteObject on a partly read Parquet source (ranged download)', function () {
  this.timeout(120_000);

  it('reads the footer, the match column and the touched group only; with the unread ranges filled from the source, the output is the full download\'s byte for byte', async () => {
    await withRewriteWorkspace(async (workspace) => {
      const source = path.join(workspace.directory, 'source.parquet');
      await workspace.connection.run(`COPY (SELECT i AS id, md5(i::VARCHAR) || md5((i + 1)::VARCHAR) AS note, {'name': 'n' || i, 'score': i % 11} AS profile
        FROM range(${GROUPS * GROUP_ROWS}) r(i)) TO ${quoteLiteral(source)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${GROUP_ROWS})`);
      const set = matchColumnSet([{ path: 'id', type: 'BIGINT' }]);
      const gone = 6 * GROUP_ROWS + 77;
      await loadMatches(workspace.connection, [set], [[[String(gone)]]]);

      const whole = path.join(workspace.directory, 'whole-out.parquet');
      const fromWhole = await rewrite(workspace, source, whole, [set]);
      const { partial, bytesRead } = await partialCopyOf(source, path.join(workspace.directory, 'partial.parquet'));
      const output = path.join(workspace.directory, 'partial-out.parquet');
      const result = await rewrite(workspace, partial.file, output, [set], partial);

      assert.deepEqual(result.physicalChanges, fromWhole.physicalChanges);
      assert.match(result.physicalChanges[0]!, /^row-group splice: row group 6 of 10 re-encoded/);
      const size = (await stat(source)).size;
      assert.ok(bytesRead() < size * 0.3, `read ${bytesRead()} of ${size} bytes`);
      const unread = partial.unreadRanges();
      assert.ok(unread.length > 0);
      for (const range of unread) {
        assert.ok(
          (result.unchangedRanges ?? []).some((kept) => range.offset >= kept.offset && range.offset + range.length <= kept.offset + kept.length),
          `unread bytes ${range.offset}+${range.length} lie in a range the store copies from the source`,
        );
      }
      const filled = await fillFrom(source, output, unread);
      assert.ok(filled.equals(await readFile(whole)), 'the same bytes as the rewrite of the whole download');
      const original = await readWithHyparquet(source);
      assert.deepStrictEqual((await readWithHyparquet(output)).rows, original.rows.filter((row) => Number(row.id) !== gone));
    });
  });

  it('reads the whole source and says why when the splice is refused (REQUIRED columns): nothing is left unread', async () => {
    await withRewriteWorkspace(async (workspace) => {
      const source = path.join(PARQUET_TESTING, 'data', 'floating_orders_nan_count.parquet');
      const original = await readWithHyparquet(source);
      const set = matchColumnSet([{ path: 'double_ieee754', type: 'DOUBLE' }]);
      await loadMatches(workspace.connection, [set], [[['5']]]);
      const { partial, bytesRead } = await partialCopyOf(source, path.join(workspace.directory, 'partial.parquet'));
      const output = path.join(workspace.directory, 'out.parquet');
      const result = await rewrite(workspace, partial.file, output, [set], partial);
      assert.match(result.physicalChanges[0]!, /^full rewrite instead of a row-group splice: DuckDB re-encodes row group 0 with another schema/);
      assert.deepEqual(partial.unreadRanges(), []);
      assert.equal(bytesRead(), (await stat(source)).size);
      assert.equal(result.unchangedRanges, undefined);
      assert.deepStrictEqual((await readWithHyparquet(output)).rows, original.rows.filter((row) => row.double_ieee754 !== 5));
    });
  });
});

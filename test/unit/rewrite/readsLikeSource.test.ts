import assert from 'node:assert/strict';
import * as path from 'node:path';
import { quoteLiteral } from '../../../shared/duckdb/sqlText';
import { readsLikeSource } from '../../../shared/rewrite/describeParquetChanges';
import { describeParquetColumns, readParquetLayout } from '../../../shared/rewrite/readParquetLayout';
import { RewriteWorkspace, withRewriteWorkspace } from '../../support/rewriteFixtures';

const ROWS = `SELECT 1::BIGINT AS id, 'a' AS name, {'city': 'x'} AS address, ['t'] AS tags`;

async function write(workspace: RewriteWorkspace, name: string, select: string, options = ''): Promise<string> {
  const file = path.join(workspace.directory, name);
  await workspace.connection.run(`COPY (${select}) TO ${quoteLiteral(file)} (FORMAT parquet${options})`);
  return file;
}

describe('readsLikeSource', () => {
  it('holds for a file with the same schema and key/value metadata, which DuckDB describes alike', async () => {
    await withRewriteWorkspace(async (workspace) => {
      const source = await write(workspace, 'source.parquet', ROWS, `, KV_METADATA {origin: 'test'}`);
      const output = await write(workspace, 'output.parquet', `SELECT 2::BIGINT AS id, 'b' AS name, {'city': 'y'} AS address, ['u', 'v'] AS tags`, `, KV_METADATA {origin: 'test'}`);
      assert.equal(readsLikeSource(await readParquetLayout(source), await readParquetLayout(output)), true);
      assert.deepEqual(await describeParquetColumns(workspace.connection, output), await describeParquetColumns(workspace.connection, source));
    });
  });

  it('fails for another column type, another field id, other key/value metadata, or a column more', async () => {
    await withRewriteWorkspace(async (workspace) => {
      const source = await readParquetLayout(await write(workspace, 'source.parquet', ROWS));
      const others = {
        'an INTEGER id': await write(workspace, 'int.parquet', ROWS.replace('1::BIGINT', '1::INTEGER')),
        'a field id': await write(workspace, 'ids.parquet', ROWS, ', FIELD_IDS {id: 7}'),
        'key/value metadata': await write(workspace, 'kv.parquet', ROWS, `, KV_METADATA {origin: 'test'}`),
        'a column more': await write(workspace, 'more.parquet', `${ROWS}, 3 AS extra`),
      };
      for (const [what, file] of Object.entries(others)) assert.equal(readsLikeSource(source, await readParquetLayout(file)), false, what);
    });
  });
});

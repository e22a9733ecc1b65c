import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describeSchemaDifference } from '../../../shared/parquet/describeSchemaDifference';
import { readParquetFooter } from '../../../shared/parquet/readParquetFooter';
import { FILE_METADATA } from '../../../shared/parquet/readRowGroupPlaces';
import { ThriftStruct } from '../../../shared/parquet/thriftCompact';
import { structListField, withField } from '../../../shared/parquet/thriftFields';
import { PARQUET_TESTING } from '../../support/rewriteFixtures';

async function schemaOf(name: string): Promise<ThriftStruct[]> {
  const footer = await readParquetFooter(path.join(PARQUET_TESTING, 'data', name));
  return structListField(footer.metadata, FILE_METADATA.schema, 'test')!;
}

describe('describeSchemaDifference', () => {
  it('finds none between a schema and itself, whatever the root is called or whether it says REQUIRED', async () => {
    const schema = await schemaOf('sort_columns.parquet');
    const renamedRoot = [withField(withField(schema[0]!, 4, { type: 'binary', value: Buffer.from('duckdb_schema') }), 3, undefined), ...schema.slice(1)];
    assert.equal(describeSchemaDifference(schema, renamedRoot), undefined);
  });

  it('names the column and what differs: repetition, field id, logical type, a column more', async () => {
    const schema = await schemaOf('sort_columns.parquet');
    const change = (index: number, id: number, value: Parameters<typeof withField>[2]) => schema.map((element, i) => (i === index ? withField(element, id, value) : element));
    assert.equal(describeSchemaDifference(schema, change(1, 3, { type: 'i32', value: 0 })), 'column a: repetition OPTIONAL written as REQUIRED');
    assert.equal(describeSchemaDifference(schema, change(2, 9, { type: 'i32', value: 7 })), 'column b: field id none written as 7');
    assert.equal(describeSchemaDifference(schema, change(2, 10, undefined)), 'column b: logical type STRING written as none');
    assert.equal(describeSchemaDifference(schema, [...schema, schema[2]!]), 'the schema has 3 elements, DuckDB wrote 4');
  });
});

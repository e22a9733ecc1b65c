import assert from 'node:assert/strict';
import { buildParquetCopyOptions } from '../../../shared/rewrite/buildParquetCopyOptions';
import { ParquetLayout, ParquetSchemaNode } from '../../../shared/rewrite/readParquetLayout';

function node(name: string, parent: string[], fields: Partial<ParquetSchemaNode> = {}, children: ParquetSchemaNode[] = []): ParquetSchemaNode {
  return {
    name,
    path: [...parent, name],
    physicalType: children.length > 0 ? null : 'INT32',
    convertedType: null,
    logicalType: null,
    repetition: 'OPTIONAL',
    fieldId: null,
    typeLength: null,
    scale: null,
    precision: null,
    children,
    ...fields,
  };
}

function layout(fields: Partial<ParquetLayout>): ParquetLayout {
  return { fileBytes: 1000, rowCount: 10, rowGroupRows: [10], largestRowGroupBytes: 100, uncompressedBytes: 100, chunkCodecs: ['SNAPPY'], keyValue: [], schema: [], chunks: [], schemaElements: [], ...fields };
}

const text = (s: string) => new TextEncoder().encode(s);

describe('buildParquetCopyOptions', () => {
  it('carries codec and row-group size', () => {
    assert.deepEqual(buildParquetCopyOptions(layout({ chunkCodecs: ['ZSTD', 'ZSTD'], rowGroupRows: [5000, 10] })), {
      sql: 'FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 5000',
      changes: [],
    });
  });

  it('names the codec it cannot write and the one it writes instead', () => {
    assert.deepEqual(buildParquetCopyOptions(layout({ chunkCodecs: ['LZ4'] })).changes, ['codec LZ4 (hadoop) written as LZ4_RAW']);
    assert.deepEqual(buildParquetCopyOptions(layout({ chunkCodecs: ['GZIP', 'GZIP', 'SNAPPY'] })).changes, [
      'column chunks compressed with SNAPPY written as GZIP (one codec per file)',
    ]);
  });

  it('writes key/value values as hex so binary and quotes survive, and names a key it cannot carry', () => {
    const options = buildParquetCopyOptions(
      layout({
        keyValue: [
          { key: text("it's"), value: text('{"a":1}') },
          { key: new Uint8Array([0xff]), value: text('x') },
        ],
      }),
    );
    assert.match(options.sql, /KV_METADATA \{"it's": from_hex\('7b2261223a317d'\)\}/);
    assert.deepEqual(options.changes, ['key/value metadata entry with a non-text key (ff) dropped']);
  });

  it('puts field ids of lists and maps under the names DuckDB gives their levels', () => {
    const list = node('tags', [], { convertedType: 'LIST', fieldId: 6 }, [
      node('bag', ['tags'], { repetition: 'REPEATED' }, [node('array_item', ['tags', 'bag'], { fieldId: 7 })]),
    ]);
    const map = node('attrs', [], { convertedType: 'MAP', fieldId: 8 }, [
      node('map', ['attrs'], { repetition: 'REPEATED' }, [node('k', ['attrs', 'map'], { fieldId: 9 }), node('v', ['attrs', 'map'], { fieldId: 10 })]),
    ]);
    const struct = node('user', [], { fieldId: 2 }, [node('email', ['user'], { fieldId: 3 }), node('plain', ['user'])]);
    const { sql } = buildParquetCopyOptions(layout({ schema: [node('id', [], { fieldId: 1 }), struct, list, map] }));
    assert.match(
      sql,
      /FIELD_IDS \{"id": 1, "user": \{__duckdb_field_id: 2, "email": 3\}, "tags": \{__duckdb_field_id: 6, "element": 7\}, "attrs": \{__duckdb_field_id: 8, "key": 9, "value": 10\}\}$/,
    );
  });
});

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readParquetFooter } from '../../../shared/parquet/readParquetFooter';
import { COLUMN_CHUNK, FILE_METADATA, readRowGroupPlaces, ROW_GROUP } from '../../../shared/parquet/readRowGroupPlaces';
import { ThriftStruct } from '../../../shared/parquet/thriftCompact';
import { structListField, withField } from '../../../shared/parquet/thriftFields';
import { PARQUET_TESTING } from '../../support/rewriteFixtures';

const SORT_COLUMNS = path.join(PARQUET_TESTING, 'data', 'sort_columns.parquet');

/** FileMetaData with the first column chunk of the first row group changed by `change`. */
function withFirstChunk(metadata: ThriftStruct, change: (chunk: ThriftStruct) => ThriftStruct): ThriftStruct {
  const groups = structListField(metadata, FILE_METADATA.rowGroups, 'test')!;
  const chunks = structListField(groups[0]!, ROW_GROUP.columns, 'test')!;
  const group = withField(groups[0]!, ROW_GROUP.columns, { type: 'list', elementType: 'struct', values: [change(chunks[0]!), ...chunks.slice(1)] });
  return withField(metadata, FILE_METADATA.rowGroups, { type: 'list', elementType: 'struct', values: [group, ...groups.slice(1)] });
}

describe('readRowGroupPlaces', () => {
  it('places each row group from its first page to its last chunk end (hand-read from sort_columns.parquet)', async () => {
    const footer = await readParquetFooter(SORT_COLUMNS);
    const places = readRowGroupPlaces(footer.metadata, footer.offset);
    // Row group 0: dictionary at 4, chunk b ends at 199 + 70; row group 1: dictionary at 328, b ends at 525 + 70.
    assert.deepEqual(places.map((place) => [place.rows, place.span]), [
      [3, { offset: 4, length: 265 }],
      [3, { offset: 328, length: 267 }],
    ]);
  });

  it('refuses what offsets alone cannot move: encryption, chunks in another file, overlapping groups', async () => {
    const footer = await readParquetFooter(SORT_COLUMNS);
    const encrypted = withField(footer.metadata, FILE_METADATA.encryptionAlgorithm, { type: 'struct', fields: [] });
    assert.throws(() => readRowGroupPlaces(encrypted, footer.offset), { name: 'UnsupportedParquetLayoutError', message: /encrypted/ });
    const columnEncrypted = withFirstChunk(footer.metadata, (chunk) => withField(chunk, COLUMN_CHUNK.cryptoMetadata, { type: 'struct', fields: [] }));
    assert.throws(() => readRowGroupPlaces(columnEncrypted, footer.offset), { message: /row group 0 column 0 is encrypted/ });
    const elsewhere = withFirstChunk(footer.metadata, (chunk) => withField(chunk, COLUMN_CHUNK.filePath, { type: 'binary', value: Buffer.from('other.parquet') }));
    assert.throws(() => readRowGroupPlaces(elsewhere, footer.offset), { message: /lives in another file/ });
    const groups = structListField(footer.metadata, FILE_METADATA.rowGroups, 'test')!;
    const twice = withField(footer.metadata, FILE_METADATA.rowGroups, { type: 'list', elementType: 'struct', values: [groups[0]!, groups[0]!] });
    assert.throws(() => readRowGroupPlaces(twice, footer.offset), { message: /overlap at byte 4/ });
    assert.throws(() => readRowGroupPlaces(footer.metadata, 500), { message: /ends at byte 595, past the footer at 500/ });
  });
});

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { readParquetFooter } from '../../../shared/parquet/readParquetFooter';
import { decodeThriftStruct, encodeThriftStruct, ThriftStruct } from '../../../shared/parquet/thriftCompact';
import { withField } from '../../../shared/parquet/thriftFields';
import { PARQUET_TESTING } from '../../support/rewriteFixtures';

const DATA = path.join(PARQUET_TESTING, 'data');

describe('Thrift compact protocol over Parquet footers', () => {
  const files = readdirSync(DATA).filter((name) => name.endsWith('.parquet')).sort();

  it('finds the parquet-testing corpus', () => assert.ok(files.length >= 40, `${files.length} files`));

  for (const name of files) {
    it(`${name}: decode then encode gives the footer's bytes, and hyparquet reads the same metadata from them`, async () => {
      const footer = await readParquetFooter(path.join(DATA, name));
      const encoded = encodeThriftStruct(footer.metadata);
      assert.ok(Buffer.from(encoded).equals(Buffer.from(footer.bytes)), 'byte-identical footer');
      const hyparquet = await import('hyparquet');
      const expected = hyparquet.parquetMetadata(withTail(footer.bytes));
      assert.deepEqual(hyparquet.parquetMetadata(withTail(encoded)), expected);
    });
  }

  it('keeps fields it has no name for, with their wire types, where they were', () => {
    // A struct as a newer writer might send it: ids 1, 3, then 40 (long form), i16, a nested list of bools, a map and a double NaN with a payload.
    const struct: ThriftStruct = {
      type: 'struct',
      fields: [
        { id: 1, value: { type: 'i32', value: -7 } },
        { id: 3, value: { type: 'i16', value: 300 } },
        { id: 40, value: { type: 'list', elementType: 'bool', values: [{ type: 'bool', value: true }, { type: 'bool', value: false }] } },
        { id: 41, value: { type: 'map', keyType: 'binary', valueType: 'i64', entries: [[{ type: 'binary', value: Uint8Array.from([107]) }, { type: 'i64', value: -(2n ** 62n) }]] } },
        { id: 42, value: { type: 'double', bytes: Uint8Array.from([1, 0, 0, 0, 0, 0, 0xf8, 0x7f]) } },
        { id: 43, value: { type: 'list', elementType: 'i8', values: Array.from({ length: 20 }, (_, i) => ({ type: 'i8' as const, value: i - 10 })) } },
      ],
    };
    const bytes = encodeThriftStruct(struct);
    const { struct: decoded, end } = decodeThriftStruct(bytes);
    assert.equal(end, bytes.length);
    assert.deepEqual(decoded, struct);
    assert.ok(Buffer.from(encodeThriftStruct(decoded)).equals(Buffer.from(bytes)));
  });

  it('sets a field in id order without touching the input', () => {
    const struct: ThriftStruct = { type: 'struct', fields: [{ id: 1, value: { type: 'i32', value: 1 } }, { id: 5, value: { type: 'i32', value: 5 } }] };
    const changed = withField(struct, 3, { type: 'i64', value: 3n });
    assert.deepEqual(changed.fields.map((field) => field.id), [1, 3, 5]);
    assert.deepEqual(struct.fields.map((field) => field.id), [1, 5]);
  });

  it('refuses a truncated struct and an impossible collection length with a message', () => {
    assert.throws(() => decodeThriftStruct(Uint8Array.from([0x15, 0x02])), { message: /ends at byte 2 inside a struct/ });
    assert.throws(() => decodeThriftStruct(Uint8Array.from([0x19, 0xf5, 0xff, 0xff, 0x7f])), { message: /collection of \d+ elements exceeds/ });
  });
});

/** The FileMetaData bytes framed as a file's tail, which is what hyparquet's parquetMetadata reads. */
function withTail(metadata: Uint8Array): ArrayBuffer {
  const file = new Uint8Array(metadata.length + 8);
  file.set(metadata);
  new DataView(file.buffer).setUint32(metadata.length, metadata.length, true);
  file.set(Buffer.from('PAR1'), metadata.length + 4);
  return file.buffer;
}

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { copyFile, readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { parseDuckDbType } from '../../../shared/duckdb/parseDuckDbType';
import { columnReference, quoteLiteral } from '../../../shared/duckdb/sqlText';
import { ColumnType, isMatchableType } from '../../../shared/model/columnType';
import { MatchColumnSet } from '../../../shared/ports/QueryExecutor';
import { rewriteObject } from '../../../shared/rewrite/rewriteObject';
import { loadMatches, matchColumnSet, PARQUET_TESTING, readWithHyparquet, RewriteWorkspace, sha256File, withRewriteWorkspace } from '../../support/rewriteFixtures';
import { parseObjectUri } from '../../../shared/model/identifiers';

const DATA = path.join(PARQUET_TESTING, 'data');
const BAD_DATA = path.join(PARQUET_TESTING, 'bad_data');

/** data/ files DuckDB 1.5.6 cannot read in full: LZ4 with Hadoop framing, BYTE_STREAM_SPLIT on ints, a MAP without values. */
const UNREADABLE_BY_DUCKDB = new Map<string, RegExp>([
  ['byte_stream_split_extended.gzip.parquet', /BYTE_STREAM_SPLIT/],
  ['hadoop_lz4_compressed.parquet', /compression codec/i],
  ['non_hadoop_lz4_compressed.parquet', /compression codec/i],
  ['map_no_value.parquet', /MAP_KEY_VALUE/],
]);

/** data/ files with no column whose type can hold a match: only BLOB or list columns. */
const NO_MATCHABLE_COLUMN = new Set(['binary.parquet', 'fixed_length_byte_array.parquet', 'null_list.parquet']);

/** data/ files whose first matchable column holds no value at all: NULL in every row, or no rows. */
const NO_MATCHABLE_VALUE = new Set([
  'column_chunk_key_value_metadata.parquet',
  'datapage_v2_empty_datapage.snappy.parquet',
  'nulls.snappy.parquet',
  'page_v2_empty_compressed.parquet',
  'single_nan.parquet',
]);

/**
 * Source files hyparquet cannot decode: a dictionary page longer than its data, an empty V2 data page
 * it takes for a snappy header. The source side of these is read by DuckDB (a reader of the original,
 * compared in JavaScript, never through lethe's predicate).
 */
const HYPARQUET_CANNOT_READ = new Set(['nation.dict-malformed.parquet', 'datapage_v2_empty_datapage.snappy.parquet']);

/**
 * What DuckDB 1.5.6's writer changed physically in each rewritten file, as rewriteObject reports it
 * (the README's list comes from here). Files not listed report nothing.
 */
const EXPECTED_PHYSICAL_CHANGES: Record<string, string[]> = {
  'alltypes_dictionary.parquet': ['INT96 column timestamp_col written as INT64 TIMESTAMP(MICROS)'],
  'alltypes_plain.parquet': ['INT96 column timestamp_col written as INT64 TIMESTAMP(MICROS)'],
  'alltypes_plain.snappy.parquet': ['INT96 column timestamp_col written as INT64 TIMESTAMP(MICROS)'],
  'alltypes_tiny_pages.parquet': ['INT96 column timestamp_col written as INT64 TIMESTAMP(MICROS)'],
  'alltypes_tiny_pages_plain.parquet': ['INT96 column timestamp_col written as INT64 TIMESTAMP(MICROS)'],
  'binary_truncated_min_max.parquet': [
    'REQUIRED column utf8_full_truncation written as OPTIONAL',
    'REQUIRED column binary_full_truncation written as OPTIONAL',
    'REQUIRED column utf8_partial_truncation written as OPTIONAL',
    'REQUIRED column binary_partial_truncation written as OPTIONAL',
    'REQUIRED column utf8_no_truncation written as OPTIONAL',
    'REQUIRED column binary_no_truncation written as OPTIONAL',
  ],
  'datapage_v1-corrupt-checksum.parquet': [
    'REQUIRED column a written as OPTIONAL',
    'REQUIRED column b written as OPTIONAL',
  ],
  'datapage_v1-snappy-compressed-checksum.parquet': [
    'REQUIRED column a written as OPTIONAL',
    'REQUIRED column b written as OPTIONAL',
  ],
  'datapage_v1-uncompressed-checksum.parquet': [
    'REQUIRED column a written as OPTIONAL',
    'REQUIRED column b written as OPTIONAL',
  ],
  'datapage_v2.snappy.parquet': [
    'REQUIRED column b written as OPTIONAL',
    'REQUIRED column c written as OPTIONAL',
    'REQUIRED column d written as OPTIONAL',
    'REQUIRED column e.list.element written as OPTIONAL',
  ],
  'fixed_length_decimal.parquet': [
    'column value FIXED_LEN_BYTE_ARRAY(11) DECIMAL(25,2) written as FIXED_LEN_BYTE_ARRAY(16) DECIMAL(25,2)',
  ],
  'float16_zeros_and_nans.parquet': ['column x FIXED_LEN_BYTE_ARRAY(2) FLOAT16 written as FLOAT'],
  'floating_orders_nan_count.parquet': [
    'REQUIRED column float_ieee754 written as OPTIONAL',
    'REQUIRED column float_typedef written as OPTIONAL',
    'REQUIRED column double_ieee754 written as OPTIONAL',
    'REQUIRED column double_typedef written as OPTIONAL',
    'REQUIRED column float16_ieee754 written as OPTIONAL',
    'column float16_ieee754 FIXED_LEN_BYTE_ARRAY(2) FLOAT16 written as FLOAT',
    'REQUIRED column float16_typedef written as OPTIONAL',
    'column float16_typedef FIXED_LEN_BYTE_ARRAY(2) FLOAT16 written as FLOAT',
  ],
  'lz4_raw_compressed.parquet': [
    'REQUIRED column c0 written as OPTIONAL',
    'REQUIRED column c1 written as OPTIONAL',
  ],
  'lz4_raw_compressed_larger.parquet': ['REQUIRED column a written as OPTIONAL'],
  // The footer's LogicalType union holds member 2555, which no parquet.thrift names; DuckDB reads the column as BLOB and writes it without one.
  'unknown-logical-type.parquet': ['column column with unknown type BYTE_ARRAY unknown logical type 2555 written as BYTE_ARRAY'],
  'nested_lists.snappy.parquet': ['REQUIRED column b written as OPTIONAL'],
  'nullable.impala.parquet': [
    'nested column int_map (int_map.map.key, int_map.map.value) written in DuckDB\'s standard layout (int_map.key_value.key, int_map.key_value.value)',
    'nested column int_Map_Array.list.element (int_Map_Array.list.element.map.key, int_Map_Array.list.element.map.value) written in DuckDB\'s standard layout (int_Map_Array.list.element.key_value.key, int_Map_Array.list.element.key_value.value)',
    'nested column nested_struct.g (nested_struct.g.map.key, nested_struct.g.map.value.H.i.list.element) written in DuckDB\'s standard layout (nested_struct.g.key_value.key, nested_struct.g.key_value.value.H.i.list.element)',
  ],
  'overflow_i16_page_cnt.parquet': ['REQUIRED column inc written as OPTIONAL'],
  'plain-dict-uncompressed-checksum.parquet': [
    'REQUIRED column long_field written as OPTIONAL',
    'REQUIRED column binary_field written as OPTIONAL',
  ],
  'repeated_no_annotation.parquet': [
    'REQUIRED column id written as OPTIONAL',
    'nested column phoneNumbers.phone (phoneNumbers.phone.number, phoneNumbers.phone.kind) written in DuckDB\'s standard layout (phoneNumbers.phone.list.element.number, phoneNumbers.phone.list.element.kind)',
  ],
  'rle-dict-snappy-checksum.parquet': [
    'REQUIRED column long_field written as OPTIONAL',
    'REQUIRED column binary_field written as OPTIONAL',
  ],
  'rle-dict-uncompressed-corrupt-checksum.parquet': [
    'REQUIRED column long_field written as OPTIONAL',
    'REQUIRED column binary_field written as OPTIONAL',
  ],
};

/** DuckDB's writer has no LZ4 (Hadoop framing) and writes LZ4_RAW instead. */
const CODEC_WRITTEN = (codec: string) => (codec === 'LZ4' ? 'LZ4_RAW' : codec);

describe('rewriteObject on every file of parquet-testing/data', function () {
  this.timeout(300_000);
  // mocha needs the cases when it collects them, so the folder is listed synchronously.
  const names = readdirSync(DATA).filter((name) => name.endsWith('.parquet')).sort();

  it('has the corpus', () => {
    assert.ok(names.length >= 40, 'parquet-testing/data should hold the corpus');
  });

  for (const name of names) {
    const file = path.join(DATA, name);
    if (UNREADABLE_BY_DUCKDB.has(name)) {
      it(`${name}: one clear error naming the object, source unchanged`, () => expectUnreadable(file, UNREADABLE_BY_DUCKDB.get(name)!));
    } else if (NO_MATCHABLE_COLUMN.has(name)) {
      it(`${name}: no column can hold a match, so a rewrite deletes nothing, writes nothing, and the file stays byte-identical`, () => expectNoMatchableColumn(file));
    } else if (NO_MATCHABLE_VALUE.has(name)) {
      it(`${name}: its matchable column holds no value, so a match deletes nothing, writes nothing, and the file stays byte-identical`, () => expectNoMatchableValue(file));
    } else {
      it(`${name}: deletes the matching rows, every other row identical (hyparquet), metadata and codec carried`, () => expectRewritten(file));
    }
  }
});

describe('rewriteObject on parquet-testing/bad_data', function () {
  this.timeout(120_000);
  for (const name of ['ARROW-GH-41317.parquet', 'ARROW-GH-41321.parquet', 'PARQUET-1481.parquet']) {
    it(`${name}: one clear error naming the object, source unchanged`, () => expectUnreadable(path.join(BAD_DATA, name), /./));
  }

  // The dictionary index pages use bit width 0; DuckDB (like arrow-rs) reads that as all indices 0,
  // so every value is 0. The rewrite works on those values; the source stays untouched.
  it('ARROW-GH-43605.parquet: DuckDB reads it as all zeros; deleting 0 removes every row, source unchanged', async () => {
    const file = path.join(BAD_DATA, 'ARROW-GH-43605.parquet');
    const before = await sha256File(file);
    await withRewriteWorkspace(async (workspace) => {
      const set = matchColumnSet([{ path: 'min_fl', type: 'USMALLINT' }]);
      await loadMatches(workspace.connection, [set], [[['0']]]);
      const result = await rewriteObject(workspace.connection, request(workspace, file, [set]));
      assert.deepEqual({ before: result.rowsBefore, after: result.rowsAfter }, { before: 21186, after: 0 });
    });
    assert.equal(await sha256File(file), before);
  });

  it('lists every bad_data file in a case above', async () => {
    assert.deepEqual(await readdir(BAD_DATA).then((names) => names.sort()), ['ARROW-GH-41317.parquet', 'ARROW-GH-41321.parquet', 'ARROW-GH-43605.parquet', 'PARQUET-1481.parquet']);
  });
});

function request(workspace: RewriteWorkspace, inputFile: string, matchSets: MatchColumnSet[]) {
  return {
    format: 'parquet' as const,
    inputFile,
    outputFile: path.join(workspace.directory, 'out.parquet'),
    matchSets,
    tempDirectory: workspace.directory,
    context: { mapperId: 'corpus', object: parseObjectUri(`s3://corpus/${path.basename(inputFile)}`) },
  };
}

async function expectUnreadable(file: string, reason: RegExp): Promise<void> {
  const before = await sha256File(file);
  await withRewriteWorkspace(async (workspace) => {
    // A column and value from the file, when DuckDB can list them, so the rewrite gets past counting.
    const chosen = await chooseMatches(workspace, file).catch(() => undefined);
    const set = chosen?.set ?? matchColumnSet([{ path: 'anything', type: 'VARCHAR' }]);
    await loadMatches(workspace.connection, [set], [(chosen?.values ?? ['x']).map((value) => [value])]);
    const object = `s3://corpus/${path.basename(file)}`;
    await assert.rejects(rewriteObject(workspace.connection, request(workspace, file, [set])), (error: Error) => {
      assert.equal(error.name, 'UnreadableObjectError');
      assert.ok(error.message.includes(object), error.message);
      assert.match(error.message, reason);
      assert.doesNotMatch(error.message, /LINE 1:/);
      return true;
    });
    await assert.rejects(stat(path.join(workspace.directory, 'out.parquet')), { code: 'ENOENT' });
  });
  assert.equal(await sha256File(file), before);
}

async function expectNoMatchableColumn(file: string): Promise<void> {
  const before = await sha256File(file);
  await withRewriteWorkspace(async (workspace) => {
    assert.equal(await firstMatchableColumnOf(workspace, file), undefined, 'no column whose type can hold a match');
    const result = await rewriteObject(workspace.connection, request(workspace, file, []));
    assert.deepEqual({ rowsDeleted: result.rowsDeleted, outputBytes: result.outputBytes }, { rowsDeleted: 0, outputBytes: 0 });
    await assert.rejects(stat(path.join(workspace.directory, 'out.parquet')), { code: 'ENOENT' });
  });
  assert.equal(await sha256File(file), before);
}

/**
 * The matchable column holds no value (an independent reader says so), so a match aimed at it must
 * delete nothing, write no output (the worker then leaves the object as it is) and leave the source
 * byte-identical.
 */
async function expectNoMatchableValue(file: string): Promise<void> {
  const before = await sha256File(file);
  await withRewriteWorkspace(async (workspace) => {
    const column = await firstMatchableColumnOf(workspace, file);
    assert.ok(column, 'a column whose type can hold a match');
    const values = await readColumn(workspace, file, HYPARQUET_CANNOT_READ.has(path.basename(file)) ? 'duckdb' : 'hyparquet', column.path);
    assert.ok(values.every((value) => value === null || value === undefined), 'the column holds no value in any row');
    const set = matchColumnSet([{ path: column.path.join('.'), type: column.type }]);
    await loadMatches(workspace.connection, [set], [[[PLAUSIBLE_VALUE[column.type.kind] ?? '1']]]);
    const result = await rewriteObject(workspace.connection, request(workspace, file, [set]));
    assert.deepEqual({ rowsDeleted: result.rowsDeleted, rowsAfter: result.rowsAfter, outputBytes: result.outputBytes }, { rowsDeleted: 0, rowsAfter: values.length, outputBytes: 0 });
    await assert.rejects(stat(path.join(workspace.directory, 'out.parquet')), { code: 'ENOENT' });
  });
  assert.equal(await sha256File(file), before);
}

/** A value each matchable type can hold, so the match is loaded and compared, not refused. */
const PLAUSIBLE_VALUE: Partial<Record<ColumnType['kind'], string>> = { string: 'x', date: '2020-01-01', timestamp: '2020-01-01 00:00:00', boolean: 'true' };

async function expectRewritten(file: string): Promise<void> {
  const before = await sha256File(file);
  await withRewriteWorkspace(async (workspace) => {
    const { connection } = workspace;
    // Work on a copy, as the worker does with its download.
    const input = path.join(workspace.directory, 'in.parquet');
    await copyFile(file, input);
    const { set, column, values } = await chooseMatches(workspace, input);
    assert.ok(values.length > 0, 'the first matchable column has values');
    await loadMatches(connection, [set], [values.map((value) => [value])]);
    const reader = HYPARQUET_CANNOT_READ.has(path.basename(file)) ? 'duckdb' : 'hyparquet';
    const deleted = await rowsHolding(workspace, input, reader, column, new Set(values));

    const result = await rewriteObject(connection, request(workspace, input, [set]));
    assert.ok(result.rowsDeleted > 0, 'some rows match');
    assert.equal(result.rowsDeleted, deleted.size);
    assert.equal(result.rowsAfter, result.rowsBefore - result.rowsDeleted);

    const output = path.join(workspace.directory, 'out.parquet');
    const rewritten = await readWithHyparquet(output);
    if (reader === 'duckdb') {
      assert.equal(rewritten.rows.length, result.rowsAfter);
      assert.deepStrictEqual(await readWithDuckDb(workspace, output), (await readWithDuckDb(workspace, input)).filter((_, i) => !deleted.has(i)));
      return;
    }
    const original = await readWithHyparquet(input);
    assert.deepStrictEqual(
      rewritten.rows,
      original.rows.filter((_, i) => !deleted.has(i)),
    );
    for (const entry of original.keyValue) assert.deepEqual(rewritten.keyValue.find((e) => e.key === entry.key), entry, `key/value "${entry.key}" carried`);
    const codec = CODEC_WRITTEN(original.codecs[0]!);
    if (rewritten.codecs.length > 0) assert.deepEqual([...new Set(rewritten.codecs)], [codec]);
    assert.equal(await sha256File(input), await sha256File(file), 'input untouched');
    assert.deepEqual(result.physicalChanges, EXPECTED_PHYSICAL_CHANGES[path.basename(file)] ?? []);
  });
  assert.equal(await sha256File(file), before);
}

/**
 * The rows a match on `chosen` must delete, decided without lethe's predicate: every row whose value,
 * as hyparquet decodes it, equals the value of a row whose DuckDB text was chosen. DuckDB's text only
 * ties each chosen match to the rows it was taken from; equality is hyparquet's (so -0 and 0, or two
 * spellings of one instant, are one value, as they are to the column's type).
 */
async function rowsHolding(workspace: RewriteWorkspace, file: string, reader: SourceReader, column: string[], chosen: ReadonlySet<string>): Promise<Set<number>> {
  const texts = await readColumnText(workspace, file, column);
  const values = await readColumn(workspace, file, reader, column);
  assert.equal(values.length, texts.length, 'both readers see every row');
  const wanted = new Set(values.filter((_, i) => chosen.has(texts[i] as string)).map(valueKey));
  assert.ok(wanted.size > 0, 'each chosen match comes from a row of the file');
  const rows = new Set<number>();
  values.forEach((value, i) => {
    if (value !== null && value !== undefined && wanted.has(valueKey(value))) rows.add(i);
  });
  return rows;
}

/** Equality of decoded values: Dates by instant, bytes by content, numbers and bigints by value. */
function valueKey(value: unknown): string {
  if (value instanceof Date) return `date:${value.getTime()}`;
  if (value instanceof Uint8Array) return `bytes:${Buffer.from(value).toString('hex')}`;
  return `${typeof value}:${String(value)}`;
}

/** Which reader decodes a source file: hyparquet, or DuckDB's text where hyparquet cannot read it (HYPARQUET_CANNOT_READ). */
type SourceReader = 'hyparquet' | 'duckdb';

/** One column of every row, in file order, as `reader` decodes it. */
async function readColumn(workspace: RewriteWorkspace, file: string, reader: SourceReader, column: readonly string[]): Promise<unknown[]> {
  if (reader === 'duckdb') return readColumnText(workspace, file, column);
  const { rows } = await readWithHyparquet(file);
  return rows.map((row) => column.reduce<unknown>((at, name) => (at === null || at === undefined ? at : (at as Record<string, unknown>)[name]), row));
}

/** One column of every row as DuckDB's text, in file order. */
async function readColumnText(workspace: RewriteWorkspace, file: string, column: readonly string[]): Promise<(string | null)[]> {
  const reference = columnReference('t', column);
  const reader = await workspace.connection.runAndReadAll(
    `SELECT CAST(${reference} AS VARCHAR) AS v FROM read_parquet(${quoteLiteral(file)}, file_row_number = true) t ORDER BY t.file_row_number`,
  );
  return reader.getRowObjectsJS().map((row) => (row.v === null ? null : String(row.v)));
}

/** The first matchable column of a file and every third of its distinct non-null values (as text). */
async function chooseMatches(workspace: RewriteWorkspace, file: string): Promise<{ set: MatchColumnSet; column: string[]; values: string[] }> {
  const column = await firstMatchableColumnOf(workspace, file);
  if (!column) throw new Error(`no matchable column in ${file}`);
  const set = matchColumnSet([{ path: column.path.join('.'), type: column.type }]);
  const source = `read_parquet(${quoteLiteral(file)})`;
  const reference = columnReference('t', column.path);
  const distinct = await workspace.connection
    .runAndReadAll(`SELECT DISTINCT CAST(${reference} AS VARCHAR) AS v FROM ${source} t WHERE ${reference} IS NOT NULL ORDER BY v LIMIT 300`)
    .then((reader) => reader.getRowObjectsJS())
    // A file whose pages DuckDB cannot decode still has a schema: match a plausible value.
    .catch(() => [{ v: '1' }]);
  return { set, column: column.path, values: distinct.filter((_, i) => i % 3 === 0).map((row) => String(row.v)) };
}

async function firstMatchableColumnOf(workspace: RewriteWorkspace, file: string): Promise<{ path: string[]; type: ColumnType } | undefined> {
  const described = (await workspace.connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(file)})`)).getRowObjectsJS();
  return firstMatchableColumn(described.map((row) => ({ name: String(row.column_name), type: parseDuckDbType(String(row.column_type)) })));
}

async function readWithDuckDb(workspace: RewriteWorkspace, file: string): Promise<unknown[]> {
  return (await workspace.connection.runAndReadAll(`SELECT * FROM read_parquet(${quoteLiteral(file)})`)).getRowObjectsJson();
}

/** The first column (or struct field, depth first) whose type can hold a match. */
function firstMatchableColumn(columns: { name: string; type: ColumnType }[], parent: string[] = []): { path: string[]; type: ColumnType } | undefined {
  for (const column of columns) {
    const here = [...parent, column.name];
    if (isMatchableType(column.type)) return { path: here, type: column.type };
    if (column.type.kind === 'struct') {
      const nested = firstMatchableColumn(column.type.fields, here);
      if (nested) return nested;
    }
  }
  return undefined;
}

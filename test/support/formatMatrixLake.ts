import { DuckDBConnection } from '@duckdb/node-api';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Match } from '../../shared/model/match';

export type MatrixFormat = 'parquet' | 'json' | 'csv';
export type MatrixCompression = 'plain' | 'gzip';
export type MatrixLayout = 'unpartitioned' | 'one partition key' | 'two partition keys';

/**
 * One column a person can be matched by. Every value is written from its canonical text (what the
 * test enqueues as the match ID), and every reader turns what it decodes back into that text.
 */
interface IdentifierColumn {
  /** Dot path; `person.*` lives in a struct. */
  path: string;
  /** The type DuckDB writes (Parquet) or infers from the text (JSON Lines, CSV); absent where the format cannot hold it. */
  types: Partial<Record<MatrixFormat, string>>;
  value(n: number): string;
  /** How hyparquet's decoded value reads as canonical text. */
  fromHyparquet(value: unknown): string;
  /** Bare in JSON (numbers, booleans) or a JSON string. */
  jsonBare: boolean;
}

const text = (value: unknown): string => String(value);
const fixed = (scale: number) => (value: unknown) => (value as number).toFixed(scale);
const day = (n: number) => new Date(Date.UTC(2020, 0, 1 + n)).toISOString().slice(0, 10);
const minutesAfter = (base: number, n: number, fraction: string) => {
  const iso = new Date(base + n * 60_000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${fraction}`;
};
/** hyparquet's timestamps arrive as bigint nanoseconds (test/support/rewriteFixtures.ts); `digits` of fraction are kept. */
const fromNanos = (digits: 6 | 9, suffix = '') => (value: unknown) => {
  const nanos = value as bigint;
  const fraction = (nanos % 1_000_000_000n).toString().padStart(9, '0');
  return `${minutesAfter(Number(nanos / 1_000_000n), 0, fraction.slice(0, digits))}${suffix}`;
};
const TS_BASE = Date.UTC(2021, 5, 1, 10, 0, 0);
const TSTZ_BASE = Date.UTC(2022, 5, 1, 10, 0, 0);
const TSNS_BASE = Date.UTC(2023, 5, 1, 10, 0, 0);

/**
 * Each column's values lie in a range no other column's values reach, so a simple match (compared
 * with every column it casts to) hits exactly the row the test aims it at.
 */
const IDENTIFIERS: IdentifierColumn[] = [
  // Row 2's name needs quoting in CSV and escaping in SQL and JSON.
  { path: 's', types: { parquet: 'VARCHAR', json: 'VARCHAR', csv: 'VARCHAR' }, value: (n) => (n === 2 ? `O'Brien, "Ann" ${n}` : `user-${n}`), fromHyparquet: text, jsonBare: false },
  { path: 'i8', types: { parquet: 'TINYINT' }, value: (n) => String(-n), fromHyparquet: text, jsonBare: true },
  { path: 'i16', types: { parquet: 'SMALLINT' }, value: (n) => String(1000 + n), fromHyparquet: text, jsonBare: true },
  { path: 'i32', types: { parquet: 'INTEGER' }, value: (n) => String(-(100_000 + n)), fromHyparquet: text, jsonBare: true },
  { path: 'i64', types: { parquet: 'BIGINT', json: 'BIGINT', csv: 'BIGINT' }, value: (n) => String(10_000_000_000 + n), fromHyparquet: text, jsonBare: true },
  { path: 'u8', types: { parquet: 'UTINYINT' }, value: (n) => String(200 + n), fromHyparquet: text, jsonBare: true },
  { path: 'u16', types: { parquet: 'USMALLINT' }, value: (n) => String(60_000 + n), fromHyparquet: text, jsonBare: true },
  { path: 'u32', types: { parquet: 'UINTEGER' }, value: (n) => String(4_000_000_000 + n), fromHyparquet: text, jsonBare: true },
  // Above the largest BIGINT: only an unsigned 64-bit column holds it.
  { path: 'u64', types: { parquet: 'UBIGINT' }, value: (n) => String(18_446_744_073_709_551_000n + BigInt(n)), fromHyparquet: text, jsonBare: true },
  { path: 'dec', types: { parquet: 'DECIMAL(10,2)' }, value: (n) => `${500 + n}.25`, fromHyparquet: fixed(2), jsonBare: true },
  { path: 'dec18', types: { parquet: 'DECIMAL(18,4)' }, value: (n) => `${10_000 + n}.0625`, fromHyparquet: fixed(4), jsonBare: true },
  { path: 'flt', types: { parquet: 'FLOAT' }, value: (n) => `${n}.5`, fromHyparquet: text, jsonBare: true },
  { path: 'dbl', types: { parquet: 'DOUBLE', json: 'DOUBLE', csv: 'DOUBLE' }, value: (n) => `${2000 + n}.125`, fromHyparquet: text, jsonBare: true },
  { path: 'day', types: { parquet: 'DATE', json: 'DATE', csv: 'DATE' }, value: day, fromHyparquet: (v) => (v as Date).toISOString().slice(0, 10), jsonBare: false },
  { path: 'ts', types: { parquet: 'TIMESTAMP', json: 'TIMESTAMP', csv: 'TIMESTAMP' }, value: (n) => minutesAfter(TS_BASE, n, '123456'), fromHyparquet: fromNanos(6), jsonBare: false },
  { path: 'tstz', types: { parquet: 'TIMESTAMP WITH TIME ZONE' }, value: (n) => `${minutesAfter(TSTZ_BASE, n, '500000')}+00:00`, fromHyparquet: fromNanos(6, '+00:00'), jsonBare: false },
  { path: 'ts_ns', types: { parquet: 'TIMESTAMP_NS' }, value: (n) => minutesAfter(TSNS_BASE, n, '123456789'), fromHyparquet: fromNanos(9), jsonBare: false },
  // True in the one row a match "true" aims at.
  { path: 'flag', types: { parquet: 'BOOLEAN', json: 'BOOLEAN', csv: 'BOOLEAN' }, value: (n) => String(n === FLAG_ROW), fromHyparquet: text, jsonBare: true },
  { path: 'person.email', types: { parquet: 'VARCHAR', json: 'VARCHAR' }, value: (n) => `p${n}@example.org`, fromHyparquet: text, jsonBare: false },
  { path: 'person.code', types: { parquet: 'BIGINT', json: 'BIGINT' }, value: (n) => String(7000 + n), fromHyparquet: text, jsonBare: true },
];

/** The row each identifier column's match aims at, in IDENTIFIERS order of the format's columns: spread over three of the four objects. */
const TARGET_ROWS = [2, 12, 32, 5, 15, 35, 8, 18, 38, 3, 13, 33, 6, 16, 36, 9, 19, 39, 10, 20];
const FLAG_ROW = 14;

export function identifierColumns(format: MatrixFormat): IdentifierColumn[] {
  return IDENTIFIERS.filter((column) => column.types[format] !== undefined);
}

/** A row as the fixture writes it: identifier values and payload, all as canonical text. */
export interface FixtureRow {
  n: number;
  values: Record<string, string>;
  /** Payload no match aims at: NULLs, commas, quotes, a newline, non-ASCII. */
  note: string | null;
  /** A list (Parquet, JSON Lines): readable, never an identifier. */
  tags: string[];
}

function fixtureRow(format: MatrixFormat, n: number): FixtureRow {
  const values = Object.fromEntries(identifierColumns(format).map((column) => [column.path, column.value(n)]));
  const note = n % 5 === 0 ? null : n === 7 ? 'two lines,\n"quoted" here' : n % 3 === 0 ? `café ☕ ${n}` : `note ${n}`;
  return { n, values, note, tags: n % 4 === 0 ? [] : [`t${n}`, 'x'] };
}

/** A match and what it must delete. */
export interface AimedMatch {
  match: Match;
  /** The column, or the composite's columns, it is aimed at: the report must say it was applied there. */
  columns: string[];
  /** The one row it must delete; null when it must delete nothing. */
  row: number | null;
}

/**
 * One simple match per identifier column, each aimed at one row; a composite {s, day} aimed at row 4;
 * and a composite whose values both exist, but in different rows, that must delete nothing.
 */
export function matrixMatches(format: MatrixFormat): AimedMatch[] {
  const columns = identifierColumns(format);
  // The flag's match is "true", which only FLAG_ROW holds.
  const simple = columns.map((column, i): AimedMatch => {
    const row = column.path === 'flag' ? FLAG_ROW : TARGET_ROWS[i]!;
    return { match: { kind: 'simple', value: column.value(row) }, columns: [column.path], row };
  });
  const [s, day] = ['s', 'day'].map((name) => columns.find((c) => c.path === name)!);
  return [
    ...simple,
    { match: { kind: 'composite', columns: { s: s!.value(4), day: day!.value(4) } }, columns: ['s', 'day'], row: 4 },
    { match: { kind: 'composite', columns: { s: s!.value(24), day: day!.value(25) } }, columns: ['s', 'day'], row: null },
  ];
}

export interface MatrixObject {
  file: string;
  rows: FixtureRow[];
  /** Bytes as written (gzip included). */
  bytes: Buffer;
  gzip: boolean;
  /** Text formats: the header (CSV) and each row's record, exactly as written and uncompressed. */
  header: string;
  records: Map<number, string>;
}

export interface MatrixLake {
  dir: string;
  configPath: string;
  lake: string;
  objects: MatrixObject[];
  /** Files that are not data by rule (`_SUCCESS`, `.crc`): never read, never changed. */
  notData: string[];
}

/**
 * Where each of the four objects goes: rows 21-30 hold no target and must stay byte-identical. `part1`
 * sits beside `part[1]` because the glob `part[1]` names `part1`: a reader that takes object names as
 * patterns reads the clean object twice and never the one holding matches.
 */
const OBJECTS = [
  { name: 'part 0', rows: [1, 10], region: 'north east', day: '2024-01-01' },
  { name: 'part[1]', rows: [11, 20], region: 'a=b', day: '2024-01-01' },
  { name: 'part1', rows: [21, 30], region: 'a=b', day: '2024-01-01' },
  { name: 'part 3', rows: [31, 40], region: 'a=b', day: '2024-01-02' },
] as const;

function partitionKeysOf(layout: MatrixLayout): string[] {
  return layout === 'unpartitioned' ? [] : layout === 'one partition key' ? ['region'] : ['region', 'day'];
}

export function extensionOf(format: MatrixFormat, compression: MatrixCompression): string {
  const base = format === 'parquet' ? '.parquet' : format === 'json' ? '.jsonl' : '.csv';
  return format !== 'parquet' && compression === 'gzip' ? `${base}.gz` : base;
}

/**
 * Writes one cell's lake: four objects of `format` under hive folders (a space and an `=` in the
 * values) and a lethe.yaml with one mapper over every identifier column. Parquet is written by
 * DuckDB from the rows' text; JSON Lines and CSV are written here, record by record.
 */
export async function buildFormatMatrixLake(
  connection: DuckDBConnection,
  dir: string,
  cell: { format: MatrixFormat; compression: MatrixCompression; layout: MatrixLayout },
): Promise<MatrixLake> {
  const lake = path.join(dir, 'lake', 'table');
  await mkdir(lake, { recursive: true });
  const keys = partitionKeysOf(cell.layout);
  const objects: MatrixObject[] = [];
  const notData: string[] = [];
  for (const spec of OBJECTS) {
    const folder = path.join(lake, ...keys.map((key) => `${key}=${spec[key as 'region' | 'day']}`));
    const rows = range(spec.rows[0], spec.rows[1]).map((n) => fixtureRow(cell.format, n));
    const file = path.join(folder, `${spec.name}${extensionOf(cell.format, cell.compression)}`);
    objects.push(await writeMatrixObject(connection, file, cell.format, cell.compression, rows));
    // What Hadoop writers leave beside a part file; not valid data in any format.
    notData.push(path.join(folder, `.${path.basename(file)}.crc`));
    await writeFile(notData.at(-1)!, 'crc\0\x01');
  }
  notData.push(path.join(lake, '_SUCCESS'));
  await writeFile(notData.at(-1)!, '');
  const configPath = path.join(dir, 'lethe.yaml');
  await writeFile(configPath, JSON.stringify(matrixConfig([{ id: 'table', location: './lake/table', format: cell.format, partitionKeys: keys }]), null, 2));
  return { dir, configPath, lake, objects, notData };
}

/** A lethe.yaml over the given mappers, each matching by every identifier column of its format. */
export function matrixConfig(mappers: { id: string; location: string; format: MatrixFormat; partitionKeys?: string[] }[]): unknown {
  return {
    stateDir: './state',
    dataMappers: mappers.map((m) => ({ ...m, partitionKeys: m.partitionKeys ?? [], columns: identifierColumns(m.format).map((c) => c.path) })),
    settings: { queryConcurrency: 2, forgetConcurrency: 2, duckdbMemoryLimit: '256MB', duckdbThreads: 1 },
  };
}

export function matrixRows(format: MatrixFormat, from: number, to: number): FixtureRow[] {
  return range(from, to).map((n) => fixtureRow(format, n));
}

/** Writes one object and checks that DuckDB reads it with the column types the cell claims to cover. */
export async function writeMatrixObject(connection: DuckDBConnection, file: string, format: MatrixFormat, compression: MatrixCompression, rows: FixtureRow[]): Promise<MatrixObject> {
  await mkdir(path.dirname(file), { recursive: true });
  const gzip = compression === 'gzip';
  let header = '';
  const records = new Map<number, string>();
  if (format === 'parquet') {
    await connection.run(`COPY (${parquetRowsSql(rows)}) TO ${literal(file)} (FORMAT parquet, COMPRESSION ${gzip ? 'gzip' : 'uncompressed'})`);
  } else {
    header = format === 'csv' ? `${[...identifierColumns('csv').map((c) => c.path), 'note'].join(',')}\n` : '';
    for (const row of rows) records.set(row.n, format === 'csv' ? csvRecord(row) : jsonRecord(row));
    const content = Buffer.from(header + [...records.values()].join(''));
    await writeFile(file, gzip ? gzipSync(content) : content);
  }
  await expectColumnTypes(connection, file, format, gzip);
  return { file, rows, bytes: await readFile(file), gzip, header, records };
}

function parquetRowsSql(rows: FixtureRow[]): string {
  const columns = identifierColumns('parquet');
  const topLevel = columns.filter((c) => !c.path.includes('.'));
  const nested = columns.filter((c) => c.path.startsWith('person.'));
  const tuples = rows.map((row) => {
    const cast = (c: IdentifierColumn) => `CAST(${literal(row.values[c.path]!)} AS ${c.types.parquet})`;
    const person = `{${nested.map((c) => `${literal(c.path.slice('person.'.length))}: ${cast(c)}`).join(', ')}}`;
    const tags = `CAST([${row.tags.map(literal).join(', ')}] AS VARCHAR[])`;
    return `(${[...topLevel.map(cast), person, row.note === null ? 'CAST(NULL AS VARCHAR)' : literal(row.note), tags].join(', ')})`;
  });
  return `SELECT * FROM (VALUES ${tuples.join(',\n')}) AS t(${[...topLevel.map((c) => c.path), 'person', 'note', 'tags'].join(', ')})`;
}

function jsonRecord(row: FixtureRow): string {
  const json = (c: IdentifierColumn) => (c.jsonBare ? row.values[c.path]! : JSON.stringify(row.values[c.path]));
  const columns = identifierColumns('json');
  const fields = columns.filter((c) => !c.path.includes('.')).map((c) => `"${c.path}":${json(c)}`);
  const person = columns.filter((c) => c.path.startsWith('person.')).map((c) => `"${c.path.slice('person.'.length)}": ${json(c)}`);
  // Spacing differs between keys on purpose: a byte-preserving rewrite keeps it.
  return `{${fields.join(',')}, "person": {${person.join(', ')}}, "note": ${JSON.stringify(row.note)}, "tags": ${JSON.stringify(row.tags)}}\n`;
}

function csvRecord(row: FixtureRow): string {
  const field = (value: string | null) => (value === null ? '' : /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return `${[...identifierColumns('csv').map((c) => field(row.values[c.path]!)), field(row.note)].join(',')}\n`;
}

/** The fixture must hold the types it claims to test: DuckDB's own reading of the file, not lethe's. */
async function expectColumnTypes(connection: DuckDBConnection, file: string, format: MatrixFormat, gzip: boolean): Promise<void> {
  const compression = `compression = '${gzip ? 'gzip' : 'uncompressed'}'`;
  const reader =
    format === 'parquet'
      ? `read_parquet(${literal(file)}, hive_partitioning = false)`
      : format === 'json'
        ? `read_json(${literal(file)}, format = 'newline_delimited', ${compression}, hive_partitioning = false)`
        : `read_csv(${literal(file)}, header = true, ${compression}, hive_partitioning = false)`;
  const described = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${reader}`)).getRowObjectsJS().map((r) => `${String(r.column_name)} ${String(r.column_type)}`);
  const columns = identifierColumns(format);
  const nested = columns.filter((c) => c.path.startsWith('person.'));
  const expected = [
    ...columns.filter((c) => !c.path.includes('.')).map((c) => `${c.path} ${c.types[format]}`),
    ...(nested.length > 0 ? [`person STRUCT(${nested.map((c) => `${c.path.slice('person.'.length)} ${c.types[format]}`).join(', ')})`] : []),
    'note VARCHAR',
    ...(format === 'csv' ? [] : ['tags VARCHAR[]']),
  ];
  if (described.join('; ') !== expected.join('; ')) throw new Error(`fixture ${file}: DuckDB reads [${described.join('; ')}], the matrix needs [${expected.join('; ')}]`);
}

/** A hyparquet row as the fixture's canonical text, to compare with FixtureRow. */
export function canonicalParquetRow(row: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, string> = {};
  for (const column of identifierColumns('parquet')) {
    const value = column.path.split('.').reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], row);
    values[column.path] = column.fromHyparquet(value);
  }
  return { columns: Object.keys(row), values, note: row.note, tags: row.tags };
}

/** What canonicalParquetRow gives for a row the fixture wrote. */
export function expectedParquetRow(row: FixtureRow): Record<string, unknown> {
  return { columns: ['s', 'i8', 'i16', 'i32', 'i64', 'u8', 'u16', 'u32', 'u64', 'dec', 'dec18', 'flt', 'dbl', 'day', 'ts', 'tstz', 'ts_ns', 'flag', 'person', 'note', 'tags'], values: row.values, note: row.note, tags: row.tags };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

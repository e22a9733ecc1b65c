import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadMatchTables } from '../../shared/duckdb/matchTables';
import { closeDuckDb, openDuckDb } from '../../shared/duckdb/openDuckDb';
import { parseDuckDbType } from '../../shared/duckdb/parseDuckDbType';
import { ColumnType, ResolvedColumn } from '../../shared/model/columnType';
import { ManifestRow } from '../../shared/model/manifest';
import { MatchColumnSet } from '../../shared/ports/QueryExecutor';

/** The shared test data next to the repository (never copied into it). */
export const TESTDATA = path.resolve(__dirname, '../../../shared/testdata');
export const PARQUET_TESTING = path.join(TESTDATA, 'parquet-testing');

export interface RewriteWorkspace {
  directory: string;
  connection: DuckDBConnection;
  instance: DuckDBInstance;
}

/** A temp folder and a DuckDB spilling into it; both gone after `use` returns or throws. */
export async function withRewriteWorkspace<T>(use: (workspace: RewriteWorkspace) => Promise<T>, memoryLimit = '512MB'): Promise<T> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'lethe-rewrite-test-'));
  const handle = await openDuckDb({ memoryLimit, threads: 2, tempDirectory: path.join(directory, 'duckdb') });
  try {
    return await use({ directory, ...handle });
  } finally {
    closeDuckDb(handle);
    await rm(directory, { recursive: true, force: true });
  }
}

/** A match column set over dot paths with their types, as the planner resolves it. */
export function matchColumnSet(columns: readonly { path: string; type: ColumnType | string }[]): MatchColumnSet {
  const resolved: ResolvedColumn[] = columns.map((column) => ({
    configured: column.path,
    path: column.path.split('.'),
    type: typeof column.type === 'string' ? parseDuckDbType(column.type) : column.type,
  }));
  return { key: resolved.map((column) => column.configured).join(','), columns: resolved };
}

/** Loads `values` (one array per match, in the set's column order) into the match tables. */
export async function loadMatches(connection: DuckDBConnection, sets: readonly MatchColumnSet[], values: readonly (readonly string[])[][]): Promise<void> {
  const rows: ManifestRow[] = sets.flatMap((set, i) =>
    (values[i] ?? []).map((match) => ({ match_columns: set.key, values: [...match] })),
  );
  await loadMatchTables(connection, sets, rows);
}

export async function sha256File(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex');
}

/** Rows and footer of a Parquet file as hyparquet (an independent reader) decodes them. */
export interface HyparquetFile {
  rows: Record<string, unknown>[];
  keyValue: { key: string; value: string | undefined }[];
  codecs: string[];
  rowGroupRows: number[];
  /** Field id of each schema element by name (the root excluded), for elements that have one. */
  fieldIds: Record<string, number>;
}

/**
 * Timestamps come back as nanoseconds since the epoch (bigint) whatever their unit, so an INT96 read
 * as nanos compares exactly with an INT64 in micros, and any truncation shows. Unannotated byte
 * arrays stay bytes.
 */
export async function readWithHyparquet(file: string): Promise<HyparquetFile> {
  const hyparquet = await import('hyparquet');
  const { compressors } = await import('hyparquet-compressors');
  const bytes = await readFile(file);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const metadata = hyparquet.parquetMetadata(buffer);
  const rows = await hyparquet.parquetReadObjects({
    file: buffer,
    compressors,
    utf8: false,
    parsers: {
      timestampFromMilliseconds: (millis: bigint) => BigInt(millis) * 1_000_000n,
      timestampFromMicroseconds: (micros: bigint) => BigInt(micros) * 1_000n,
      timestampFromNanoseconds: (nanos: bigint) => BigInt(nanos),
    },
  });
  return {
    rows,
    keyValue: (metadata.key_value_metadata ?? []).map((entry) => ({ key: entry.key, value: entry.value })),
    codecs: metadata.row_groups.flatMap((group) => group.columns.map((column) => String(column.meta_data?.codec))),
    rowGroupRows: metadata.row_groups.map((group) => Number(group.num_rows)),
    fieldIds: Object.fromEntries(metadata.schema.slice(1).filter((element) => element.field_id !== undefined).map((element) => [element.name, Number(element.field_id)])),
  };
}

/** The records of `text` split after each "\n", terminators kept: the unit a byte-preserving rewrite keeps. */
export function splitLinesKeepingEnds(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

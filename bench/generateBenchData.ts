import { DuckDBConnection } from '@duckdb/node-api';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { quoteLiteral } from '../shared/duckdb/sqlText';
import { MB } from './measure';

/** How big each data set is; quick keeps the whole run under two minutes on two cores. */
export interface BenchSizes {
  mode: 'quick' | 'full';
  /** Target on-disk size of the single large Parquet file (cases 1 and 2). */
  largeFileBytes: number;
  /** Target on-disk size of the partitioned lake (cases 3 and 5). */
  lakeBytes: number;
  /** Matching rows spread over the large file. */
  largeFileMatches: number;
  /** Match IDs of the find and the whole job. */
  lakeMatches: number;
  /** IDs in the enqueue file (case 4). */
  enqueueIds: number;
}

export const SIZES: Record<'quick' | 'full', BenchSizes> = {
  quick: { mode: 'quick', largeFileBytes: 256 * MB, lakeBytes: 240 * MB, largeFileMatches: 300, lakeMatches: 10_000, enqueueIds: 1_000_000 },
  full: { mode: 'full', largeFileBytes: 1024 * MB, lakeBytes: 2560 * MB, largeFileMatches: 300, lakeMatches: 10_000, enqueueIds: 1_000_000 },
};

export const CODEC = 'snappy';
export const ROW_GROUP_ROWS = 122_880;
/** year=2023..2024 / month=01..12: one file each. */
const PARTITIONS = [2023, 2024].flatMap((year) => Array.from({ length: 12 }, (_, m) => ({ year: String(year), month: String(m + 1).padStart(2, '0') })));

export interface LargeFile {
  file: string;
  bytes: number;
  rows: number;
  /** customer_id values to delete, spread evenly over the file (and so over its row groups). */
  matchIds: string[];
}

export interface Lake {
  /** The table folder (customers/), holding year=/month=/part-0.parquet. */
  tableDir: string;
  files: string[];
  bytes: number;
  rows: number;
  matchIds: string[];
}

export interface BenchData {
  sizes: BenchSizes;
  large: LargeFile;
  lake: Lake;
  enqueueFile: string;
}

/**
 * One customer row per i: ids, strings, a timestamp, a struct, a list, a decimal, and a hash column
 * that compresses about as badly as real free text. Deterministic, so every run sees the same data.
 */
function customerRowsSql(first: number, count: number): string {
  return `SELECT i::BIGINT AS customer_id,
      'customer' || i || '@example.org' AS email,
      'First' || (i % 9973) || ' Last' || (i % 7919) AS full_name,
      TIMESTAMP '2020-01-01' + to_seconds((i * 7919) % 157680000) AS created_at,
      {'street': (i % 997) || ' Main St', 'city': 'City' || (i % 503), 'zip': lpad(((i * 31) % 99999)::VARCHAR, 5, '0')} AS address,
      [i % 7, i % 11, (i * 13) % 101]::INTEGER[] AS tags,
      (((i * 2654435761) % 10000000) / 100)::DECIMAL(12, 2) AS balance,
      md5(i::VARCHAR) AS token
    FROM range(${first}, ${first + count}) r(i)`;
}

/** Customer rows first..first+count-1 as one Parquet file, in row groups of `rowGroupRows`. */
export async function copyRows(connection: DuckDBConnection, first: number, count: number, file: string, rowGroupRows = ROW_GROUP_ROWS): Promise<void> {
  await connection.run(`COPY (${customerRowsSql(first, count)}) TO ${quoteLiteral(file)} (FORMAT parquet, COMPRESSION ${CODEC}, ROW_GROUP_SIZE ${rowGroupRows})`);
}

/** Bytes one row takes on disk, from a sample: sizes are given in bytes, rows are what we write. */
async function bytesPerRow(connection: DuckDBConnection, scratch: string): Promise<number> {
  const sample = path.join(scratch, 'sample.parquet');
  const rows = 500_000;
  await copyRows(connection, 1, rows, sample);
  const bytes = (await stat(sample)).size;
  await rm(sample, { force: true });
  return bytes / rows;
}

function spread(firstId: number, rows: number, count: number): string[] {
  const step = Math.max(1, Math.floor(rows / count));
  return Array.from({ length: count }, (_, j) => String(firstId + Math.floor(step / 2) + j * step));
}

/** Reads bench/data/<mode>/data.json when present (data is reused between runs), else generates. */
export async function ensureBenchData(connection: DuckDBConnection, dataRoot: string, sizes: BenchSizes, log: (line: string) => void): Promise<BenchData> {
  const dir = path.join(dataRoot, sizes.mode);
  const index = path.join(dir, 'data.json');
  try {
    const stored = JSON.parse(await readFile(index, 'utf8')) as BenchData;
    if (JSON.stringify(stored.sizes) === JSON.stringify(sizes)) {
      log(`reusing bench data in ${dir}`);
      return stored;
    }
  } catch {
    // Not there yet (or from an older layout): generate.
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const perRow = await bytesPerRow(connection, dir);

  const largeRows = Math.round(sizes.largeFileBytes / perRow);
  const largeFile = path.join(dir, 'large.parquet');
  log(`generating ${largeFile}: ${largeRows} rows, about ${Math.round(sizes.largeFileBytes / MB)} MB`);
  await copyRows(connection, 1, largeRows, largeFile);
  const large: LargeFile = { file: largeFile, bytes: (await stat(largeFile)).size, rows: largeRows, matchIds: spread(1, largeRows, sizes.largeFileMatches) };

  const tableDir = path.join(dir, 'lake', 'customers');
  const rowsPerFile = Math.round(sizes.lakeBytes / PARTITIONS.length / perRow);
  log(`generating ${PARTITIONS.length} partitions of ${rowsPerFile} rows in ${tableDir}`);
  const files: string[] = [];
  let bytes = 0;
  for (const [k, partition] of PARTITIONS.entries()) {
    const folder = path.join(tableDir, `year=${partition.year}`, `month=${partition.month}`);
    await mkdir(folder, { recursive: true });
    const file = path.join(folder, 'part-0.parquet');
    await copyRows(connection, 1 + k * rowsPerFile, rowsPerFile, file);
    bytes += (await stat(file)).size;
    files.push(file);
  }
  const lakeRows = rowsPerFile * PARTITIONS.length;
  const lake: Lake = { tableDir, files, bytes, rows: lakeRows, matchIds: spread(1, lakeRows, sizes.lakeMatches) };

  const enqueueFile = path.join(dir, 'ids-1m.txt');
  const ids = Array.from({ length: sizes.enqueueIds }, (_, i) => (i % 2 === 0 ? String(1_000_000_000 + i) : `customer${i}@example.org`));
  await writeFile(enqueueFile, ids.join('\n') + '\n');

  const data: BenchData = { sizes, large, lake, enqueueFile };
  await writeFile(`${index}.tmp`, JSON.stringify(data));
  await rename(`${index}.tmp`, index);
  return data;
}

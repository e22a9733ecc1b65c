import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { closeDuckDb, openDuckDb } from '../../shared/duckdb/openDuckDb';
import { readParquetFooter } from '../../shared/parquet/readParquetFooter';
import { readRowGroupPlaces } from '../../shared/parquet/readRowGroupPlaces';
import { BenchData, copyRows } from '../generateBenchData';
import { MB, pairedRatio, summarize } from '../measure';
import { timeJobRounds } from '../timeJobRounds';
import { CaseResult } from './caseResult';

export const GOAL_RATIO = 0.35;
const ROWS = 6_000_000;
const ROW_GROUP_ROWS = 100_000;
/** One customer in row group 34 of 60. */
const MATCH_ID = '3456789';

interface SpliceLake {
  tableDir: string;
  file: string;
  bytes: number;
  rowGroups: number;
}

/**
 * Case 6: one person in one large object. The whole local job (find, forget by row-group splice,
 * verify, cleanup, report) with one ID over a fresh copy of a 6,000,000-row, 60-row-group file,
 * against a plain DuckDB COPY of that file (same codec and row groups), the cost of rewriting it whole.
 */
export async function spliceOneMatch(data: BenchData, rounds: number, scratchRoot: string): Promise<CaseResult> {
  const lake = await ensureSpliceLake(path.join(path.dirname(data.large.file), 'splice'));
  const scratch = await mkdtemp(path.join(scratchRoot, 'splice-'));
  let rowGroupsCopied = 0;
  try {
    const { seconds, baselineSeconds, rowsDeleted } = await timeJobRounds({
      tableDir: lake.tableDir,
      ids: [MATCH_ID],
      files: [lake.file],
      rowGroupRows: ROW_GROUP_ROWS,
      rounds,
      scratch,
      inspect: async (tableCopy) => {
        rowGroupsCopied = await countIdenticalRowGroups(lake.file, path.join(tableCopy, path.relative(lake.tableDir, lake.file)));
      },
    });
    if (rowsDeleted !== 1) throw new Error(`job deleted ${rowsDeleted} rows, expected 1`);
    const ratio = pairedRatio(seconds, baselineSeconds);
    return {
      id: 'spliceOneMatch',
      title: `whole local job, 1 ID in a ${Math.round(lake.bytes / MB)} MB object of ${ROWS.toLocaleString('en')} rows in ${lake.rowGroups} row groups`,
      unit: 's',
      lethe: summarize(seconds),
      baseline: summarize(baselineSeconds),
      baselineName: 'DuckDB COPY of the object',
      ratio,
      goal: `ratio <= ${GOAL_RATIO}`,
      met: ratio <= GOAL_RATIO,
      figures: { fileBytes: lake.bytes, rows: ROWS, rowGroups: lake.rowGroups, rowGroupsCopied, rowsDeleted },
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Row groups of the rewritten object that are a source row group byte for byte (by SHA-256 of their spans). */
async function countIdenticalRowGroups(source: string, output: string): Promise<number> {
  const kept = new Set(await hashRowGroups(source));
  return (await hashRowGroups(output)).filter((hash) => kept.has(hash)).length;
}

async function hashRowGroups(file: string): Promise<string[]> {
  const footer = await readParquetFooter(file);
  const handle = await open(file, 'r');
  try {
    const hashes: string[] = [];
    for (const { span } of readRowGroupPlaces(footer.metadata, footer.offset)) {
      const bytes = Buffer.alloc(span.length);
      await handle.read(bytes, 0, span.length, span.offset);
      hashes.push(createHash('sha256').update(bytes).digest('hex'));
    }
    return hashes;
  } finally {
    await handle.close();
  }
}

/** bench/data/<mode>/splice/customers/year=2024/part-0.parquet, generated once and reused. */
async function ensureSpliceLake(dir: string): Promise<SpliceLake> {
  const index = path.join(dir, 'lake.json');
  try {
    return JSON.parse(await readFile(index, 'utf8')) as SpliceLake;
  } catch {
    // Not generated yet.
  }
  await rm(dir, { recursive: true, force: true });
  const tableDir = path.join(dir, 'customers');
  const file = path.join(tableDir, 'year=2024', 'part-0.parquet');
  await mkdir(path.dirname(file), { recursive: true });
  const duckdb = await openDuckDb({ memoryLimit: '2GB', threads: 0, tempDirectory: path.join(dir, 'duckdb') });
  try {
    await copyRows(duckdb.connection, 1, ROWS, file, ROW_GROUP_ROWS);
  } finally {
    closeDuckDb(duckdb);
  }
  const footer = await readParquetFooter(file);
  const lake: SpliceLake = { tableDir, file, bytes: (await stat(file)).size, rowGroups: readRowGroupPlaces(footer.metadata, footer.offset).length };
  await writeFile(`${index}.tmp`, JSON.stringify(lake));
  await rename(`${index}.tmp`, index);
  return lake;
}

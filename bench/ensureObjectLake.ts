import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { closeDuckDb, openDuckDb } from '../shared/duckdb/openDuckDb';
import { copyRows } from './generateBenchData';

/** A customers table of `objects` Parquet files under one year=2024 partition, each of `rowsPerObject` rows. */
export interface ObjectLake {
  objects: number;
  rowsPerObject: number;
  tableDir: string;
  files: string[];
  bytes: number;
  /** customer_id in the middle of each file: one match per object. */
  middleIds: string[];
}

/**
 * bench/data/<name>/customers/year=2024/part-NNNN.parquet, generated once and reused while the shape
 * stays the same. Rows are numbered across files, so file k holds ids k*rows+1..(k+1)*rows.
 */
export async function ensureObjectLake(dir: string, objects: number, rowsPerObject: number): Promise<ObjectLake> {
  const index = path.join(dir, 'lake.json');
  try {
    const stored = JSON.parse(await readFile(index, 'utf8')) as ObjectLake;
    if (stored.objects === objects && stored.rowsPerObject === rowsPerObject) return stored;
  } catch {
    // Not generated yet.
  }
  await rm(dir, { recursive: true, force: true });
  const tableDir = path.join(dir, 'customers');
  const folder = path.join(tableDir, 'year=2024');
  await mkdir(folder, { recursive: true });
  const duckdb = await openDuckDb({ memoryLimit: '2GB', threads: 0, tempDirectory: path.join(dir, 'duckdb') });
  const files: string[] = [];
  const middleIds: string[] = [];
  let bytes = 0;
  try {
    for (let k = 0; k < objects; k++) {
      const file = path.join(folder, `part-${String(k).padStart(4, '0')}.parquet`);
      await copyRows(duckdb.connection, 1 + k * rowsPerObject, rowsPerObject, file);
      bytes += (await stat(file)).size;
      files.push(file);
      middleIds.push(String(1 + k * rowsPerObject + Math.floor(rowsPerObject / 2)));
    }
  } finally {
    closeDuckDb(duckdb);
  }
  await rm(path.join(dir, 'duckdb'), { recursive: true, force: true });
  const lake: ObjectLake = { objects, rowsPerObject, tableDir, files, bytes, middleIds };
  await writeFile(`${index}.tmp`, JSON.stringify(lake));
  await rename(`${index}.tmp`, index);
  return lake;
}

import { DuckDBInstance } from '@duckdb/node-api';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { quoteLiteral } from '../../shared/duckdb/sqlText';
import { mulberry32 } from '../mulberry32';

/** The shape of the scale lake: `objects` Parquet files of `rowsPerObject` rows, in `days` day partitions. */
export interface ScaleLakeShape {
  objects: number;
  rowsPerObject: number;
  days: number;
  /** Objects holding rows of the people erased (1 or 2 rows each). */
  touchedObjects: number;
  /** Match IDs in the queue: the people present plus IDs that are in no object. */
  matchIds: number;
  seed: number;
}

export interface ScaleLake {
  configPath: string;
  lakeDir: string;
  /** One match ID a line: present and absent ones, shuffled together. */
  idsFile: string;
  /** The customer_id of every row to erase, one a line: what the independent check compares with. */
  presentIdsFile: string;
  presentIds: number;
  /** Computed from the generator, not from lethe: rows left and their fingerprint after a correct erasure. */
  expected: { rowsLeft: number; fingerprintLeft: string; objectsUpdated: number; rowsDeleted: number };
}

export const DEFAULT_SCALE_SHAPE: ScaleLakeShape = { objects: 20_000, rowsPerObject: 50, days: 200, touchedObjects: 1_000, matchIds: 1_000_000, seed: 20261202 };

/** IDs of people in no object start here (the lake's customer_ids are 1..objects*rowsPerObject). */
const ABSENT_FROM = 1_000_000_000;

/**
 * Writes the scale lake in one DuckDB process: row i (from 0) is customer i+1, in object
 * floor(i / rowsPerObject), which lies at day=<d>/part=<p>/ (COPY ... PARTITION_BY writes one file
 * per folder). The mapper groups its queries by day, so the find runs `days` queries of
 * objects/days files each. Which rows are erased is drawn from `seed`.
 */
export async function buildScaleLake(dir: string, shape: ScaleLakeShape): Promise<ScaleLake> {
  if (shape.objects % shape.days !== 0) throw new Error(`scale lake: ${shape.objects} objects do not split evenly into ${shape.days} days`);
  const partsPerDay = shape.objects / shape.days;
  const lakeDir = path.join(dir, 'lake');
  await mkdir(lakeDir, { recursive: true });
  const present = drawErasedIds(shape);
  if (present.length > shape.matchIds) throw new Error(`scale lake: ${present.length} people present exceed ${shape.matchIds} match IDs`);
  const presentIdsFile = path.join(dir, 'present-ids.txt');
  await writeFile(presentIdsFile, `${present.join('\n')}\n`);
  const idsFile = path.join(dir, 'match-ids.txt');
  await writeFile(idsFile, `${shuffledIds(present, shape).join('\n')}\n`);

  const instance = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '2GB', preserve_insertion_order: 'true' });
  const connection = await instance.connect();
  let expected: ScaleLake['expected'];
  try {
    await connection.run(`CREATE TABLE erased AS SELECT column0::BIGINT AS customer_id FROM read_csv(${quoteLiteral(presentIdsFile)}, header = false)`);
    const rows = shape.objects * shape.rowsPerObject;
    const rowsPerDay = partsPerDay * shape.rowsPerObject;
    // One COPY per day: PARTITION_BY over all 20,000 folders at once holds a writer per folder and runs out of memory.
    for (let day = 0; day < shape.days; day++) {
      const dayDir = path.join(lakeDir, 'events', `day=${dayName(day)}`);
      await mkdir(path.dirname(dayDir), { recursive: true });
      await connection.run(`COPY (${generatedRowsSql(day * rowsPerDay, (day + 1) * rowsPerDay, shape)} ORDER BY customer_id) TO ${quoteLiteral(dayDir)} (FORMAT parquet, PARTITION_BY (part), COMPRESSION snappy)`);
    }
    await connection.run(`CREATE VIEW generated AS ${generatedRowsSql(0, rows, shape)}`);
    const left = (await connection.runAndReadAll(`SELECT count(*)::BIGINT AS n, ${fingerprintSql()} AS fingerprint FROM generated WHERE customer_id NOT IN (SELECT customer_id FROM erased)`)).getRowObjectsJS()[0]!;
    const touched = (await connection.runAndReadAll(`SELECT count(DISTINCT (customer_id - 1) // ${shape.rowsPerObject})::BIGINT AS n FROM erased`)).getRowObjectsJS()[0]!;
    expected = { rowsLeft: Number(left.n), fingerprintLeft: String(left.fingerprint), objectsUpdated: Number(touched.n), rowsDeleted: present.length };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  const config = {
    stateDir: './state',
    dataMappers: [{ id: 'events', location: './lake/events', format: 'parquet', columns: ['customer_id', 'email'], partitionKeys: ['day'] }],
    // Approval splits the job where the plan and manifests are complete and nothing is rewritten yet.
    settings: { requireApproval: true, queryConcurrency: 2, forgetConcurrency: 2, duckdbMemoryLimit: '512MB' },
  };
  const configPath = path.join(dir, 'lethe.yaml');
  await writeFile(configPath, JSON.stringify(config, null, 2));
  return { configPath, lakeDir, idsFile, presentIdsFile, presentIds: present.length, expected };
}

/**
 * An order-independent fingerprint of rows (sum of row hashes): equal before and after only if the
 * same rows, value for value, are there. Shared by the generator and the check, both on the test's own DuckDB.
 */
export function fingerprintSql(): string {
  return 'sum(hash(customer_id, email, note, amount))::VARCHAR';
}

/** customer_ids to erase: 1 or 2 rows in each of `touchedObjects` distinct objects drawn from the seed. */
function drawErasedIds(shape: ScaleLakeShape): number[] {
  const random = mulberry32(shape.seed);
  const objects = new Set<number>();
  while (objects.size < shape.touchedObjects) objects.add(Math.floor(random() * shape.objects));
  const ids: number[] = [];
  for (const object of [...objects].sort((a, b) => a - b)) {
    const rows = new Set<number>();
    const wanted = random() < 0.5 ? 1 : 2;
    while (rows.size < Math.min(wanted, shape.rowsPerObject)) rows.add(Math.floor(random() * shape.rowsPerObject));
    for (const row of [...rows].sort((a, b) => a - b)) ids.push(object * shape.rowsPerObject + row + 1);
  }
  return ids;
}

/** The queue: the present IDs among IDs of nobody, in a seeded order. */
function shuffledIds(present: readonly number[], shape: ScaleLakeShape): number[] {
  const ids = [...present];
  for (let n = 0; ids.length < shape.matchIds; n++) ids.push(ABSENT_FROM + n);
  const random = mulberry32(shape.seed ^ 0x5bd1e995);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  return ids;
}

/** Rows i in [from, to): customer i+1 in object floor(i / rowsPerObject), whose folder is part=<object mod partsPerDay>. */
function generatedRowsSql(from: number, to: number, shape: ScaleLakeShape): string {
  return `SELECT (i + 1)::BIGINT AS customer_id, 'customer' || (i + 1) || '@example.org' AS email, 'order ' || (i * 7919 % 100003) AS note,
      (i % 997) * 1.5 AS amount, (i // ${shape.rowsPerObject} % ${shape.objects / shape.days})::INTEGER AS part
    FROM range(${from}, ${to}) r(i)`;
}

/** Day n's partition value: 2025-01-01 onwards. */
function dayName(day: number): string {
  return new Date(Date.UTC(2025, 0, 1 + day)).toISOString().slice(0, 10);
}

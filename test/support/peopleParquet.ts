import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { withTestDuckDb } from './localLake';

/** A Parquet object of people (id BIGINT, email 'person<id>@example.org'), written by a DuckDB of the test's own; returns its bytes. */
export async function peopleParquet(work: string, key: string, ids: readonly number[]): Promise<Buffer> {
  const file = path.join(work, key.replace(/\//g, '_'));
  await withTestDuckDb((connection) =>
    connection.run(`COPY (SELECT id::BIGINT AS id, 'person' || id || '@example.org' AS email FROM (VALUES ${ids.map((id) => `(${id})`).join(', ')}) v(id)) TO '${file}' (FORMAT parquet)`),
  );
  return readFile(file);
}

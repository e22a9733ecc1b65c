import { DuckDBConnection } from '@duckdb/node-api';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { quoteLiteral } from '../../shared/duckdb/sqlText';

/**
 * A small lake with the shapes lethe meets in practice: a Parquet table partitioned by year with a
 * struct column and a decimal, a gzip JSON Lines table partitioned by day, and a plain CSV table.
 * Customer n has email customer<n>@example.org; customer 1000 is Ann Lee.
 */
export async function buildDemoLake(connection: DuckDBConnection, lakeDir: string, rows: number): Promise<void> {
  const customers = path.join(lakeDir, 'customers');
  const events = path.join(lakeDir, 'events');
  const orders = path.join(lakeDir, 'orders');
  await mkdir(orders, { recursive: true });
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE demo_customers AS
    SELECT i::BIGINT AS customer_id,
           {'email': 'customer' || i || '@example.org', 'name': CASE WHEN i = 1000 THEN 'Ann Lee' ELSE 'Customer ' || i END} AS "user",
           CASE WHEN i = 1000 THEN 'Ann' ELSE 'First' || (i % 97) END AS first_name,
           CASE WHEN i = 1000 THEN 'Lee' ELSE 'Last' || (i % 89) END AS last_name,
           ((i * 37) % 100000 / 100.0)::DECIMAL(12,2) AS balance,
           TIMESTAMP '2023-01-01' + to_seconds(i * 3571) AS signed_up,
           (2023 + i % 3)::VARCHAR AS year
    FROM range(1, ${rows + 1}) r(i)`);
  await connection.run(`COPY demo_customers TO ${quoteLiteral(customers)} (FORMAT parquet, PARTITION_BY (year), COMPRESSION zstd, OVERWRITE_OR_IGNORE true)`);
  for (let day = 1; day <= 3; day++) {
    const folder = path.join(events, `day=2024-03-0${day}`);
    await mkdir(folder, { recursive: true });
    await connection.run(`
      COPY (SELECT (i % ${rows} + 1)::BIGINT AS customer_id, 'customer' || (i % ${rows} + 1) || '@example.org' AS email,
                   ['view', 'click', 'buy'][i % 3 + 1] AS action, TIMESTAMP '2024-03-0${day}' + to_seconds(i) AS at
            FROM range(0, ${Math.max(1, Math.floor(rows / 2))}) r(i) ORDER BY i)
      TO ${quoteLiteral(path.join(folder, 'part-0.jsonl.gz'))} (FORMAT json, COMPRESSION gzip)`);
  }
  await connection.run(`
    COPY (SELECT i AS order_id, (i * 7 % ${rows} + 1)::BIGINT AS customer_id, round((i % 500) * 1.25, 2) AS amount
          FROM range(1, ${rows + 1}) r(i))
    TO ${quoteLiteral(path.join(orders, 'part-0.csv'))} (FORMAT csv, HEADER true)`);
}

export function demoConfigYaml(): string {
  return `# lethe demo: three tables in ./lake, state in ./.lethe
stateDir: ./.lethe
dataMappers:
  - id: customers
    location: ./lake/customers
    format: parquet
    columns: [customer_id, user.email, first_name, last_name]
    partitionKeys: [year]
  - id: events
    location: ./lake/events
    format: json
    columns: [customer_id, email]
    partitionKeys: [day]
  - id: orders
    location: ./lake/orders
    format: csv
    columns: [customer_id]
settings:
  queryConcurrency: 2
  forgetConcurrency: 2
  duckdbMemoryLimit: 1GB
`;
}

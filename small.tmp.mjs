import { DuckDBInstance } from '@duckdb/node-api';
const i = await DuckDBInstance.create(':memory:'); const c = await i.connect();
await c.run(`COPY (SELECT * FROM read_parquet('bench/data/quick/large.parquet') LIMIT 737280) TO '/tmp/x/six.parquet' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 122880)`);

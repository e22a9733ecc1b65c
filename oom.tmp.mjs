import { DuckDBInstance } from '@duckdb/node-api';
const [file, limit, kind, threads] = process.argv.slice(2);
const i = await DuckDBInstance.create(':memory:'); const c = await i.connect();
await c.run(`SET memory_limit='${limit}'`); await c.run(`SET temp_directory='/tmp/x/spill'`); await c.run(`SET threads=${threads}`); await c.run('SET preserve_insertion_order=true');
const q = kind === 'nocase' ? `SELECT * EXCLUDE (file_row_number) FROM read_parquet('${file}', hive_partitioning=false, file_row_number=true) t WHERE get_bit(list_aggregate([100, 200000, 500000]::BIGINT[], 'bitstring_agg', 0, 737279), t.file_row_number::INTEGER) = 0`
  : kind === 'notin300' ? `SELECT * EXCLUDE (file_row_number) FROM read_parquet('${file}', hive_partitioning=false, file_row_number=true) t WHERE t.file_row_number NOT IN (${Array.from({length:300},(_,i)=>i*2400+7).join(',')})`
  : kind === 'rownum' ? `SELECT * EXCLUDE (file_row_number) FROM read_parquet('${file}', hive_partitioning=false, file_row_number=true) t`
  : kind === 'notin' ? `SELECT * EXCLUDE (file_row_number) FROM read_parquet('${file}', hive_partitioning=false, file_row_number=true) t WHERE t.file_row_number NOT IN (100, 200000, 500000)`
  : kind === 'hp' ? `SELECT * FROM read_parquet('${file}', hive_partitioning=false)`
  : kind === 'base' ? `SELECT * FROM read_parquet('${file}')`
  : `SELECT * EXCLUDE (file_row_number) FROM read_parquet('${file}', hive_partitioning=false, file_row_number=true) t WHERE CASE WHEN t.file_row_number BETWEEN 100 AND 500000 THEN get_bit(list_aggregate([100, 200000, 500000]::BIGINT[], 'bitstring_agg', 100, 500000), (t.file_row_number - 100)::INTEGER) ELSE 0 END = 0`;
const t = Date.now();
try { await c.run(`COPY (${q}) TO '/tmp/x/oom-out-${process.pid}.parquet' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 122880)`); console.log(kind, limit, threads, 'ok', (Date.now()-t)/1000, 'rss', process.resourceUsage().maxRSS/1024|0); }
catch (e) { console.log(kind, limit, threads, 'OOM', (Date.now()-t)/1000, String(e).slice(0,80)); }

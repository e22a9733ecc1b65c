import { DuckDBConnection } from '@duckdb/node-api';
import { exactFileLiteral } from '../duckdb/exactFileLiteral';
import { columnReference } from '../duckdb/sqlText';
import { UnreadableObjectError } from '../model/errors';
import { Int96Value, UnsupportedInt96ChunkError, readInt96Values } from '../parquet/readInt96Values';
import { queryRows } from './queryRows';
import { ParquetLayout, ParquetSchemaNode } from './readParquetLayout';
import { RewriteContext } from './rewriteRequest';

const JULIAN_DAY_OF_UNIX_EPOCH = 2_440_588n;
const NANOS_PER_DAY = 86_400_000_000_000n;
/** DuckDB's TIMESTAMP holds microseconds in an int64 less its two infinities. */
const MAX_MICROS = 2n ** 63n - 2n;

/**
 * Refuses a Parquet object whose INT96 values DuckDB would not write back unchanged. DuckDB reads
 * INT96 as a microsecond TIMESTAMP: sub-microsecond digits are dropped, and a value it converts
 * wrongly (Spark files hold years far outside the nanosecond range) would come back as another
 * instant. The raw values are read from the pages (readInt96Values); a value is kept only when it is
 * a whole microsecond DuckDB can hold, and every value DuckDB reads from the column must be one of
 * them. Values of rows about to be deleted count too: refusing is the safe side.
 */
export async function refuseInexactInt96(connection: DuckDBConnection, file: string, layout: ParquetLayout, context: RewriteContext): Promise<void> {
  const chunks = layout.chunks.filter((chunk) => chunk.physicalType === 'INT96');
  if (chunks.length === 0) return;
  const leaves = leafPaths(layout.schema);
  const byColumn = new Map<number, Int96Value[]>();
  for (const chunk of chunks) {
    const leaf = leaves[chunk.column];
    if (!leaf) throw new UnreadableObjectError(`mapper "${context.mapperId}": ${context.object}: INT96 column ${chunk.column} is not in the schema`, context);
    try {
      const values = await readInt96Values(file, {
        codec: chunk.codec,
        start: chunk.start,
        totalCompressedSize: chunk.compressedBytes,
        maxRepetitionLevel: leaf.nodes.filter((node) => node.repetition === 'REPEATED').length,
        maxDefinitionLevel: leaf.nodes.filter((node) => node.repetition !== 'REQUIRED').length,
      });
      byColumn.set(chunk.column, [...(byColumn.get(chunk.column) ?? []), ...values]);
    } catch (error) {
      if (!(error instanceof UnsupportedInt96ChunkError)) throw error;
      throw new UnreadableObjectError(`mapper "${context.mapperId}": ${context.object}: INT96 column "${leaf.path.join('.')}" cannot be checked (${error.message}); refused, the object is left as it was`, context);
    }
  }
  for (const [columnId, values] of byColumn) {
    const leaf = leaves[columnId]!;
    const problems = await describeAlteredValues(connection, file, leaf.path, values);
    if (problems) throw new UnreadableObjectError(`mapper "${context.mapperId}": ${context.object}: INT96 column "${leaf.path.join('.')}" holds ${problems}; refused, the object is left as it was`, context);
  }
}

async function describeAlteredValues(connection: DuckDBConnection, file: string, path: readonly string[], values: readonly Int96Value[]): Promise<string | undefined> {
  const micros = new Set<bigint>();
  let subMicro = 0;
  let outOfRange = 0;
  for (const { julianDay, nanosOfDay } of values) {
    const nanos = (BigInt(julianDay) - JULIAN_DAY_OF_UNIX_EPOCH) * NANOS_PER_DAY + nanosOfDay;
    if (nanos % 1000n !== 0n) subMicro++;
    else if (nanos / 1000n > MAX_MICROS || nanos / 1000n < -MAX_MICROS) outOfRange++;
    else micros.add(nanos / 1000n);
  }
  const reasons: string[] = [];
  if (subMicro > 0) reasons.push(`${plural(subMicro, 'value')} DuckDB would not write back unchanged (sub-microsecond digits)`);
  if (outOfRange > 0) reasons.push(`${plural(outOfRange, 'value')} outside DuckDB's timestamp range`);
  // A top-level column can be compared value by value with what DuckDB reads.
  if (reasons.length === 0 && path.length === 1) {
    const column = columnReference('t', path);
    const read = await queryRows(connection, `SELECT DISTINCT epoch_us(${column}) AS us FROM read_parquet(${exactFileLiteral(file)}, hive_partitioning = false) t WHERE ${column} IS NOT NULL`);
    const misread = read.filter((row) => !micros.has(BigInt(String(row.us)))).length;
    if (misread > 0) reasons.push(`${plural(misread, 'value')} DuckDB reads as an instant the file does not hold`);
  }
  return reasons.length > 0 ? reasons.join(', ') : undefined;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Each leaf of the schema in column order (parquet_metadata's column_id), with the nodes down to it. */
function leafPaths(schema: readonly ParquetSchemaNode[]): Array<{ path: string[]; nodes: ParquetSchemaNode[] }> {
  const leaves: Array<{ path: string[]; nodes: ParquetSchemaNode[] }> = [];
  const walk = (nodes: readonly ParquetSchemaNode[], above: ParquetSchemaNode[]) => {
    for (const node of nodes) {
      if (node.children.length === 0) leaves.push({ path: node.path, nodes: [...above, node] });
      else walk(node.children, [...above, node]);
    }
  };
  walk(schema, []);
  return leaves;
}

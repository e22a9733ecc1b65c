import { stat } from 'node:fs/promises';
import { MatchTableSource, buildMatchJoin } from '../../duckdb/matchTables';
import { localObjectFiles, readObjectsSql } from '../../duckdb/readObjectsSql';
import { scrubEngineMessage } from '../../privacy/scrubEngineMessage';
import { UnreadableObjectError, errorMessage } from '../../model/errors';
import { FindQuery, FindQueryResult, QueryExecutor, QueryScope } from '../../ports/QueryExecutor';
import { parseObjectUri } from '../../model/identifiers';

/**
 * Find queries on DuckDB over a table's local files, all its partitions in one query (DuckDB's own
 * threads split the scan; a query per partition group would repeat the plan and the hash build),
 * with DuckDB's `filename` column for "$path". The match tables are the process's shared ones
 * (loaded from the manifest once, never through SQL text), so a query costs the scan and the probe.
 */
export class DuckDbQueryExecutor implements QueryExecutor {
  readonly queryScope: QueryScope = 'table';

  constructor(private readonly matchTables: MatchTableSource) {}

  async findObjects(query: FindQuery): Promise<FindQueryResult> {
    const paths = query.group.partitions.flatMap((p) => p.objects ?? []);
    if (paths.length === 0) return { objects: [], bytesScanned: 0 };
    const [files, sizes] = await Promise.all([localObjectFiles(query.table.format, paths), Promise.all(paths.map(async (file) => (await stat(file)).size))]);
    const { connection, matchSets } = await this.matchTables.connect(query.jobId, [query.mapper.id]);
    try {
      const columns = matchSets.flatMap((set) => set.columns);
      const match = buildMatchJoin(matchSets, 't');
      // HAVING, not WHERE: every row of every object is read, so an object DuckDB cannot decode fails the find.
      const sql = `SELECT t.filename AS object FROM ${readObjectsSql(query.table.format, files, { filename: true, columns })} t${match.joins} GROUP BY t.filename HAVING bool_or(${match.predicate})`;
      const result = await connection.runAndReadAll(sql);
      const objects = result.getRowObjectsJS().map((row) => parseObjectUri(row.object, 'DuckDB filename')).sort();
      return { objects, bytesScanned: sizes.reduce((a, b) => a + b, 0) };
    } catch (error) {
      throw new UnreadableObjectError(`DuckDB: ${scrubEngineMessage(errorMessage(error))}`, { mapperId: query.mapper.id });
    } finally {
      connection.closeSync();
    }
  }

  /** Drops the match tables: the next find builds them from the manifest it wrote. */
  async close(): Promise<void> {
    await this.matchTables.release();
  }
}

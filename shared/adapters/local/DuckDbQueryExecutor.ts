import { DuckDBConnection } from '@duckdb/node-api';
import { stat } from 'node:fs/promises';
import { detectGzip } from '../../duckdb/detectGzip';
import { buildMatchPredicate, loadMatchTables } from '../../duckdb/matchTables';
import { readObjectsSql } from '../../duckdb/readObjectsSql';
import { scrubEngineMessage } from '../../privacy/scrubEngineMessage';
import { NotFoundError, UnreadableObjectError, errorMessage } from '../../model/errors';
import { ManifestRow, parseManifest } from '../../model/manifest';
import { FindQuery, FindQueryResult, QueryExecutor } from '../../ports/QueryExecutor';
import { StateStore } from '../../ports/StateStore';

/**
 * Find queries on DuckDB over the partition group's local files: the same plan as Athena, with
 * DuckDB's `filename` column for "$path". Match values reach DuckDB through the appender, never SQL text.
 */
export class DuckDbQueryExecutor implements QueryExecutor {
  private readonly manifests = new Map<string, Promise<ManifestRow[]>>();

  constructor(
    private readonly state: StateStore,
    private readonly connect: () => Promise<DuckDBConnection>,
  ) {}

  async findObjects(query: FindQuery): Promise<FindQueryResult> {
    const paths = query.group.partitions.flatMap((p) => p.objects ?? []);
    if (paths.length === 0) return { objects: [], bytesScanned: 0 };
    const files = await Promise.all(paths.map(async (file) => ({ path: file, gzip: await detectGzip(file) })));
    const sizes = await Promise.all(paths.map(async (file) => (await stat(file)).size));
    const rows = await this.manifest(query.manifestKey);
    const columns = query.matchSets.flatMap((set) => set.columns);
    const sql = `SELECT DISTINCT t.filename AS object FROM ${readObjectsSql(query.table.format, files, { filename: true, columns })} t WHERE ${buildMatchPredicate(query.matchSets, 't')}`;
    const connection = await this.connect();
    try {
      await loadMatchTables(connection, query.matchSets, rows);
      const result = await connection.runAndReadAll(sql);
      const objects = result.getRowObjectsJS().map((row) => String(row.object)).sort();
      return { objects, bytesScanned: sizes.reduce((a, b) => a + b, 0) };
    } catch (error) {
      throw new UnreadableObjectError(`DuckDB: ${scrubEngineMessage(errorMessage(error))}`, { mapperId: query.mapper.id });
    } finally {
      connection.closeSync();
    }
  }

  async close(): Promise<void> {
    this.manifests.clear();
  }

  private manifest(key: string): Promise<ManifestRow[]> {
    let rows = this.manifests.get(key);
    if (!rows) {
      rows = this.state.read(key).then((stored) => {
        if (!stored) throw new NotFoundError(`manifest ${this.state.describe(key)} is missing`);
        return parseManifest(stored.body.toString('utf8'), key);
      });
      rows.catch(() => this.manifests.delete(key));
      this.manifests.set(key, rows);
    }
    return rows;
  }
}

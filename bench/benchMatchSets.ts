import { DuckDBConnection } from '@duckdb/node-api';
import { loadMatchTables } from '../shared/duckdb/matchTables';
import { MatchColumnSet } from '../shared/ports/QueryExecutor';

/** The bench tables' match column: customer_id BIGINT, as the catalog resolves it. */
export const CUSTOMER_ID_SET: MatchColumnSet = {
  key: 'customer_id',
  columns: [{ configured: 'customer_id', path: ['customer_id'], type: { kind: 'int', bits: 64, signed: true } }],
};

/** Loads `ids` into the connection's match tables, as a forget worker's session does. */
export async function loadCustomerIds(connection: DuckDBConnection, ids: readonly string[]): Promise<MatchColumnSet[]> {
  const sets = [CUSTOMER_ID_SET];
  await loadMatchTables(
    connection,
    sets,
    ids.map((id) => ({ match_columns: CUSTOMER_ID_SET.key, values: [id] })),
  );
  return sets;
}

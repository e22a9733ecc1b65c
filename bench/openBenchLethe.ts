import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseLetheConfig } from '../shared/model/config';
import { enqueueMatches } from '../shared/queue/deletionQueue';
import { Runtime } from '../shared/runtime/Runtime';
import { openLocalRuntime } from '../shared/runtime/openLocalRuntime';

/**
 * A local lethe over one customers table, as `lethe.yaml` would configure it: state in `stateDir`,
 * lethe's default settings unless `settings` names some, match column customer_id, partitioned by year
 * (one find query per year on Athena; DuckDB reads the whole table in one).
 */
export async function openBenchLethe(tableDir: string, stateDir: string, settings: Record<string, unknown> = {}): Promise<Runtime> {
  await mkdir(stateDir, { recursive: true });
  const config = parseLetheConfig(
    { settings, dataMappers: [{ id: 'customers', location: tableDir, format: 'parquet', columns: ['customer_id'], partitionKeys: ['year'] }] },
    'bench config',
    (p) => path.resolve(p),
  );
  return openLocalRuntime({ ...config, stateDir, configPath: 'bench config' });
}

export async function enqueueIds(lethe: Runtime, ids: readonly string[]): Promise<void> {
  await enqueueMatches(
    lethe.ports.state,
    ids.map((value) => ({ match: { kind: 'simple', value } })),
  );
}

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createLocalPorts, LocalPorts } from '../shared/adapters/local/createLocalPorts';
import { LetheConfig, parseLetheConfig } from '../shared/model/config';
import { enqueueMatches } from '../shared/queue/deletionQueue';

export interface BenchLethe {
  config: LetheConfig;
  local: LocalPorts;
}

/**
 * A local lethe over one customers table, as `lethe.yaml` would configure it: state in `stateDir`,
 * lethe's default settings, match column customer_id, one find query per year.
 */
export async function openBenchLethe(tableDir: string, stateDir: string): Promise<BenchLethe> {
  await mkdir(stateDir, { recursive: true });
  const config = parseLetheConfig(
    { dataMappers: [{ id: 'customers', location: tableDir, format: 'parquet', columns: ['customer_id'], partitionKeys: ['year'] }] },
    'bench config',
    (p) => path.resolve(p),
  );
  const local = await createLocalPorts(stateDir, config.settings);
  return { config, local };
}

export async function enqueueIds(lethe: BenchLethe, ids: readonly string[]): Promise<void> {
  await enqueueMatches(
    lethe.local.ports.state,
    ids.map((value) => ({ match: { kind: 'simple', value } })),
  );
}

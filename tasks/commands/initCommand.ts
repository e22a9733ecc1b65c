import { writeFile } from 'node:fs/promises';
import { InputError } from '../../shared/model/errors';

const STARTER = `# lethe.yaml: what to search, and how. Paths are relative to this file.
stateDir: ./.lethe
dataMappers:
  - id: customers                  # [A-Za-z0-9_-]+
    location: ./lake/customers     # a folder of hive-style partitions (year=2024/...)
    format: parquet                # parquet | json (JSON Lines) | csv; gzip is detected by content
    columns: [customer_id, user.email]   # dot paths reach into structs
    partitionKeys: [year]          # one find query per year; [] for one query
    deleteOldVersions: true
    ignoreObjectNotFound: false
settings:
  queryConcurrency: 4
  forgetConcurrency: 2
  requireApproval: false
  verify: true
  duckdbMemoryLimit: 1GB
`;

export async function initCommand(configPath: string): Promise<void> {
  await writeFile(configPath, STARTER, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(error.code === 'EEXIST' ? `${configPath} already exists` : `${configPath}: ${error.message}`);
  });
  process.stdout.write(`wrote ${configPath}\n`);
}

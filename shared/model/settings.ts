import { collectProblems, expectBoolean, expectInteger, expectNonEmptyString, expectRecord, rejectUnknownKeys } from './fields';
import { InputError } from './errors';

export interface Settings {
  /** Find queries running at once (Athena counts queued + running against its quota). */
  queryConcurrency: number;
  /** Extra attempts for a failed find query before the job ends FIND_FAILED. */
  queryRetries: number;
  /** Objects one worker process rewrites at once. */
  forgetConcurrency: number;
  /** Upper bound on Fargate tasks (aws) or in-process workers (local). */
  fleetMaxTasks: number;
  /** Deliveries of one work message before it goes to the dead-letter queue. */
  maxReceiveCount: number;
  /** How long a received message stays hidden; the worker's heartbeat extends it while it works. */
  visibilityTimeoutSeconds: number;
  /** Stop after find and wait for `lethe job approve`. */
  requireApproval: boolean;
  /** Re-run the find after the rewrite; any match left fails the job. */
  verify: boolean;
  /** Days that job details and reports are kept (a lifecycle rule on AWS). */
  retentionDays: number;
  /**
   * DuckDB memory limit of one worker process, shared by all its concurrent rewrites, e.g. "1GB".
   * Objects larger than this stream through disk; the COPYs of concurrent rewrites run together only
   * while they fit in half of it (copyWithinMemory).
   */
  duckdbMemoryLimit: string;
  /** DuckDB threads per rewrite; 0 = DuckDB's default (all cores). */
  duckdbThreads: number;
  /** Hex HMAC key for match hashes; when absent the state store keeps a generated one. */
  hmacKey?: string;
}

export const DEFAULT_SETTINGS: Settings = {
  queryConcurrency: 4,
  queryRetries: 2,
  forgetConcurrency: 2,
  fleetMaxTasks: 2,
  maxReceiveCount: 3,
  visibilityTimeoutSeconds: 120,
  requireApproval: false,
  verify: true,
  retentionDays: 30,
  duckdbMemoryLimit: '1GB',
  duckdbThreads: 0,
};

const SETTING_KEYS = Object.keys(DEFAULT_SETTINGS).concat('hmacKey');
const MEMORY_PATTERN = /^(\d+(?:\.\d+)?)\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;
const MIB_PER_UNIT: Record<string, number> = { kb: 1 / 1024, mb: 1, gb: 1024, tb: 1024 ** 2, kib: 1 / 1024, mib: 1, gib: 1024, tib: 1024 ** 2 };

/** "1GB", "512MB", "1.5GiB" -> MiB, rounded up; undefined when it is not such a size. */
export function memorySizeMiB(text: string): number | undefined {
  const match = MEMORY_PATTERN.exec(text.trim());
  return match ? Math.ceil(Number(match[1]) * MIB_PER_UNIT[match[2]!.toLowerCase()]!) : undefined;
}

export function parseSettings(input: unknown, where: string): Settings {
  if (input === undefined) return { ...DEFAULT_SETTINGS };
  const record = expectRecord(input, where);
  rejectUnknownKeys(record, SETTING_KEYS, where);
  const settings: Settings = { ...DEFAULT_SETTINGS };
  const read = <K extends keyof Settings>(key: K, parse: (value: unknown, at: string) => Settings[K]) => () => {
    if (record[key] !== undefined) settings[key] = parse(record[key], `${where}.${key}`);
  };
  const int = (min: number, max: number) => (value: unknown, at: string) => expectInteger(value, at, min, max);
  collectProblems(
    [
      read('queryConcurrency', int(1, 100)),
      read('queryRetries', int(0, 10)),
      read('forgetConcurrency', int(1, 64)),
      read('fleetMaxTasks', int(1, 1000)),
      read('maxReceiveCount', int(1, 100)),
      read('visibilityTimeoutSeconds', int(10, 43_200)),
      read('requireApproval', expectBoolean),
      read('verify', expectBoolean),
      read('retentionDays', int(1, 3650)),
      read('duckdbMemoryLimit', (value, at) => {
        const text = expectNonEmptyString(value, at);
        if (memorySizeMiB(text) === undefined) throw new InputError(`${at}: "${text}" is not a size like 512MB or 2GB`);
        return text;
      }),
      read('duckdbThreads', int(0, 256)),
      read('hmacKey', (value, at) => {
        const text = expectNonEmptyString(value, at);
        if (!/^[0-9a-fA-F]{32,}$/.test(text)) throw new InputError(`${at}: expected at least 32 hex digits`);
        return text;
      }),
    ],
    `${where}: several settings have problems`,
  );
  return settings;
}

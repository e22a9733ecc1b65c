import { DuckDBConnection } from '@duckdb/node-api';
import { MemoryLedger } from '../concurrency/MemoryLedger';
import { errorMessage } from '../model/errors';
import { queryRows } from './queryRows';
import { withDuckDbSetting } from './withDuckDbSetting';

/**
 * The one-thread retries of this process, one at a time. DuckDB's threads setting is the instance's,
 * shared by every worker: two overlapping retries would each set and restore it, and the first to
 * restore would put the other's retry back on every thread. Taking turns also suits the case: a
 * retry runs because memory is short.
 */
let turn: Promise<void> = Promise.resolve();

function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const result = turn.then(work);
  // The next retry waits for this one to end, however it ends; its error is the caller's.
  turn = result.then(
    () => undefined,
    () => undefined,
  );
  return result;
}

/**
 * Runs a DuckDB step; if it runs out of memory, runs it again on one thread. Each thread holds its
 * own buffers (a Parquet row group waiting for its turn to keep insertion order, a 32 MiB JSON read
 * buffer), so a small memory_limit can be passed by threads alone, while one thread streams the same
 * object through disk. A second out-of-memory error is the caller's to report.
 */
export async function retryOnOneThread<T>(connection: DuckDBConnection, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!/Out of Memory Error/i.test(errorMessage(error))) throw error;
    return oneAtATime(() => withDuckDbSetting(connection, 'threads', 1, run));
  }
}

/**
 * A Parquet COPY holds, per thread, the row group it reads and the one it writes (each several times
 * its uncompressed Parquet size once decoded into vectors), plus the written groups waiting their
 * turn to keep insertion order. Measured on the bench's file (row groups of 15.6 MB uncompressed, two
 * threads): with the limit at 2 such groups per thread the filtered COPY runs out of memory after
 * most of its work, and at 3.2 it fits but spills so much that it takes twice as long as on one
 * thread. Below this many, one thread streams the groups through the limit and is the faster way.
 */
export const MIN_ROW_GROUPS_IN_MEMORY_PER_THREAD = 4;

/** What a Parquet COPY reads, from the source's footer: sizes as Parquet's total_uncompressed_size counts them. */
export interface CopySize {
  /** The largest row group it reads. */
  largestRowGroupBytes: number;
  /** All the row groups it reads. */
  readBytes: number;
}

/**
 * A COPY on every thread keeps the query's row order by holding what the threads read ahead: measured
 * here, one of a 1,000,000-row object (126 MB uncompressed, 9 row groups) held 253 MB of DuckDB's
 * memory, about twice its uncompressed size, and one of a 1 GB file took 1.5 GB where the limit
 * allowed. So a COPY is counted at twice what it reads.
 */
const HELD_PER_BYTE_READ = 2;

/**
 * Runs a COPY of Parquet row groups: on one thread from the start when the memory limit leaves each
 * thread fewer than MIN_ROW_GROUPS_IN_MEMORY_PER_THREAD of them (an attempt on every thread would
 * spend most of its time before running out of memory), and otherwise on every thread with
 * retryOnOneThread's fallback, once it fits beside the COPYs of the other forget slots. Those are
 * admitted while what they hold adds up to half the limit: DuckDB's threads are the instance's, so two
 * large COPYs at once finish no sooner than one after the other and hold twice the memory, and the
 * other half is for the match tables, the reads beside the COPYs and the JavaScript heap. Small
 * objects' COPYs still run side by side, which is where concurrency pays.
 */
export async function copyWithinMemory<T>(connection: DuckDBConnection, size: CopySize, run: () => Promise<T>): Promise<T> {
  const { limit, threads } = await readMemoryBudget(connection);
  if (threads > 1 && limit !== undefined && limit < threads * size.largestRowGroupBytes * MIN_ROW_GROUPS_IN_MEMORY_PER_THREAD) {
    return oneAtATime(() => withDuckDbSetting(connection, 'threads', 1, run));
  }
  if (limit === undefined) return retryOnOneThread(connection, run);
  return copyLedger(limit).hold(HELD_PER_BYTE_READ * size.readBytes, () => retryOnOneThread(connection, run));
}

/** One ledger per memory limit: a process opens one DuckDB instance, whose limit all its forget slots share. */
const ledgers = new Map<number, MemoryLedger>();

function copyLedger(limit: number): MemoryLedger {
  let ledger = ledgers.get(limit);
  if (!ledger) ledgers.set(limit, (ledger = new MemoryLedger(limit / 2)));
  return ledger;
}

interface MemoryBudget {
  limit: number | undefined;
  threads: number;
}

/**
 * DuckDB's memory limit and thread count, read once per connection (a forget slot's lasts the job):
 * lethe sets both when it opens the instance. One thread may be a one-thread turn's, which sets it
 * instance-wide while it lasts, so that is read again next time.
 */
const budgets = new WeakMap<DuckDBConnection, MemoryBudget>();

async function readMemoryBudget(connection: DuckDBConnection): Promise<MemoryBudget> {
  const known = budgets.get(connection);
  if (known) return known;
  const [settings] = await queryRows(connection, `SELECT current_setting('memory_limit')::VARCHAR AS memory_limit, current_setting('threads')::BIGINT AS threads`);
  const budget = { limit: parseMemorySize(String(settings?.memory_limit)), threads: Number(settings?.threads) };
  if (budget.threads > 1) budgets.set(connection, budget);
  return budget;
}

const UNITS: Record<string, number> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KIB: 2 ** 10, MIB: 2 ** 20, GIB: 2 ** 30, TIB: 2 ** 40 };

/** DuckDB's memory_limit as it prints it ("63.0 MiB", "1.8 GiB"); undefined when it has none or prints something else. */
export function parseMemorySize(text: string): number | undefined {
  const match = /^\s*([0-9.]+)\s*([A-Za-z]+)\s*$/.exec(text);
  const unit = match ? UNITS[match[2]!.toUpperCase()] : undefined;
  return match && unit ? Number(match[1]) * unit : undefined;
}

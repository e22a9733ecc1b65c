import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBConnection } from '@duckdb/node-api';
import { closeDuckDb, openDuckDb } from '../../../shared/duckdb/openDuckDb';
import { copyWithinMemory, parseMemorySize, retryOnOneThread } from '../../../shared/rewrite/retryOnOneThread';

async function threads(connection: DuckDBConnection): Promise<number> {
  const reader = await connection.runAndReadAll(`SELECT current_setting('threads')::INTEGER AS n`);
  return Number(reader.getRowObjects()[0]!.n);
}

describe('retryOnOneThread', () => {
  it('two concurrent rewrites retrying on one thread: neither one\'s restore undoes the other\'s retry', async () => {
    const scratch = await mkdtemp(path.join(tmpdir(), 'lethe-threads-'));
    const duckdb = await openDuckDb({ memoryLimit: '256MB', threads: 4, tempDirectory: path.join(scratch, 'spill') });
    const a = await duckdb.instance.connect();
    const b = await duckdb.instance.connect();
    try {
      // A starts its one-thread retry first and finishes first; B's retry is still running then.
      const gate = () => {
        let open!: () => void;
        const opened = new Promise<void>((resolve) => (open = resolve));
        return { open, opened };
      };
      const aRetrying = gate();
      const bFailed = gate();
      const bRetrying = gate();
      const aDone = gate();
      const retrying = (connection: DuckDBConnection, seen: number[], failed: () => void, started: () => void, waitFor: Promise<void>) => {
        let attempts = 0;
        return retryOnOneThread(connection, async () => {
          if (++attempts === 1) {
            failed();
            throw new Error('Out of Memory Error: could not allocate block of size 256.0 KiB');
          }
          seen.push(await threads(connection));
          started();
          await waitFor;
          seen.push(await threads(connection));
        });
      };
      const seenByA: number[] = [];
      const seenByB: number[] = [];
      // A goes on once B's retry has begun, or (where retries take turns) a moment after B asked for one.
      const bAsked = bFailed.opened.then(() => new Promise<void>((resolve) => setTimeout(resolve, 200)));
      const rewriteA = retrying(a, seenByA, () => {}, aRetrying.open, Promise.race([bRetrying.opened, bAsked])).then(aDone.open);
      await aRetrying.opened;
      const rewriteB = retrying(b, seenByB, bFailed.open, bRetrying.open, aDone.opened);
      await Promise.all([rewriteA, rewriteB]);
      assert.deepEqual(seenByA, [1, 1]);
      assert.deepEqual(seenByB, [1, 1], 'B ran its whole retry on one thread, although A finished its own in between');
      assert.equal(await threads(a), 4, 'once both are done, the instance is back to its threads');
    } finally {
      a.closeSync();
      b.closeSync();
      closeDuckDb(duckdb);
      await rm(scratch, { recursive: true, force: true });
    }
  });

  it('copyWithinMemory starts on one thread when the limit holds fewer than four row groups per thread, and on every thread otherwise', async () => {
    const scratch = await mkdtemp(path.join(tmpdir(), 'lethe-threads-'));
    const duckdb = await openDuckDb({ memoryLimit: '256MB', threads: 4, tempDirectory: path.join(scratch, 'spill') });
    try {
      const seen = async (rowGroupBytes: number) => {
        let attempts = 0;
        const threadsSeen = await copyWithinMemory(duckdb.connection, { largestRowGroupBytes: rowGroupBytes, readBytes: rowGroupBytes }, async () => {
          attempts++;
          return threads(duckdb.connection);
        });
        return { threadsSeen, attempts };
      };
      // 256 MB over 4 threads is 64 MB a thread: 15 MB row groups fit four times, 17 MB ones do not.
      assert.deepEqual(await seen(17_000_000), { threadsSeen: 1, attempts: 1 });
      assert.equal(await threads(duckdb.connection), 4, 'the instance is back to its threads');
      assert.deepEqual(await seen(15_000_000), { threadsSeen: 4, attempts: 1 });
    } finally {
      closeDuckDb(duckdb);
      await rm(scratch, { recursive: true, force: true });
    }
  });

  it('copyWithinMemory runs COPYs of two slots one after the other when they would hold more than half the limit between them, and side by side when not', async () => {
    const scratch = await mkdtemp(path.join(tmpdir(), 'lethe-ledger-'));
    const duckdb = await openDuckDb({ memoryLimit: '256MB', threads: 4, tempDirectory: path.join(scratch, 'spill') });
    const slots = [await duckdb.instance.connect(), await duckdb.instance.connect()];
    try {
      // Each COPY reads its bytes in small row groups (no one-thread start) and is counted at twice them.
      const overlapped = async (readBytes: number) => {
        let running = 0;
        let most = 0;
        await Promise.all(
          slots.map((connection) =>
            copyWithinMemory(connection, { largestRowGroupBytes: 1_000_000, readBytes }, async () => {
              most = Math.max(most, ++running);
              await new Promise((resolve) => setTimeout(resolve, 50));
              running--;
            }),
          ),
        );
        return most;
      };
      // Half of 256 MB is 128 MB: two COPYs of 40 MB read hold 160 MB, two of 30 MB hold 120 MB.
      assert.equal(await overlapped(40_000_000), 1);
      assert.equal(await overlapped(30_000_000), 2);
    } finally {
      for (const connection of slots) connection.closeSync();
      closeDuckDb(duckdb);
      await rm(scratch, { recursive: true, force: true });
    }
  });

  it('reads the memory limit as DuckDB prints it', () => {
    assert.equal(parseMemorySize('63.0 MiB'), 63 * 2 ** 20);
    assert.equal(parseMemorySize('1.5 GiB'), 1.5 * 2 ** 30);
    assert.equal(parseMemorySize('256.0 MB'), 256e6);
    assert.equal(parseMemorySize('unlimited'), undefined);
  });
});

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBConnection } from '@duckdb/node-api';
import { closeDuckDb, openDuckDb } from '../../../shared/duckdb/openDuckDb';
import { retryOnOneThread } from '../../../shared/rewrite/retryOnOneThread';

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
});

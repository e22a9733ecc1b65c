import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MemoryLedger } from '../../../shared/concurrency/MemoryLedger';

/** A piece of work that runs until the test ends it, recording when it started. */
function heldWork(log: string[], name: string) {
  let end!: () => void;
  const ended = new Promise<void>((resolve) => (end = resolve));
  return { end, run: async () => { log.push(`start ${name}`); await ended; log.push(`end ${name}`); return name; } };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('MemoryLedger: concurrent work within a memory estimate', () => {
  it('starts work while it fits, and waiters in the order they asked even when a later one would fit', async () => {
    const ledger = new MemoryLedger(100);
    const log: string[] = [];
    const [a, b, c] = [heldWork(log, 'a'), heldWork(log, 'b'), heldWork(log, 'c')];
    const done = [ledger.hold(60, a.run), ledger.hold(60, b.run), ledger.hold(30, c.run)];
    await turn();
    assert.deepEqual(log, ['start a'], 'b does not fit beside a, and c waits behind b');
    a.end();
    await turn();
    assert.deepEqual(log, ['start a', 'end a', 'start b', 'start c'], 'b and c fit together once a is done');
    b.end();
    c.end();
    assert.deepEqual(await Promise.all(done), ['a', 'b', 'c']);
  });

  it('runs work larger than the whole alone, once nothing else runs', async () => {
    const ledger = new MemoryLedger(100);
    const log: string[] = [];
    const [small, huge] = [heldWork(log, 'small'), heldWork(log, 'huge')];
    const done = [ledger.hold(10, small.run), ledger.hold(500, huge.run)];
    await turn();
    assert.deepEqual(log, ['start small']);
    small.end();
    await turn();
    assert.deepEqual(log, ['start small', 'end small', 'start huge']);
    huge.end();
    await Promise.all(done);
  });

  it('gives back the hold of work that fails, and the failure to its caller', async () => {
    const ledger = new MemoryLedger(100);
    const log: string[] = [];
    const next = heldWork(log, 'next');
    const failing = ledger.hold(100, async () => {
      await turn();
      throw new Error('Out of Memory Error');
    });
    const after = ledger.hold(100, next.run);
    await assert.rejects(failing, /Out of Memory Error/);
    await turn();
    assert.deepEqual(log, ['start next']);
    next.end();
    assert.equal(await after, 'next');
  });

  it('never runs more than fits at once, unless one runs alone, and runs every piece once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 100 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 150 }), fc.integer({ min: 0, max: 3 })), { maxLength: 30 }), async (capacity, works) => {
        const ledger = new MemoryLedger(capacity);
        const running = new Map<number, number>();
        const ran: number[] = [];
        await Promise.all(
          works.map(([bytes, turns], index) =>
            ledger.hold(bytes, async () => {
              running.set(index, bytes);
              const held = [...running.values()].reduce((sum, b) => sum + b, 0);
              assert.ok(running.size === 1 || held <= capacity, `${running.size} pieces hold ${held} of ${capacity}`);
              for (let i = 0; i < turns; i++) await turn();
              running.delete(index);
              ran.push(index);
            }),
          ),
        );
        assert.deepEqual([...ran].sort((x, y) => x - y), works.map((_, i) => i));
      }),
    );
  });
});

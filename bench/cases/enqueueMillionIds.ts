import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { DirectoryStateStore } from '../../shared/adapters/local/DirectoryStateStore';
import { enqueueMatches } from '../../shared/queue/deletionQueue';
import { parseMatchFile } from '../../shared/queue/parseMatchFile';
import { BenchData } from '../generateBenchData';
import { timeSideBySide } from '../measure';
import { CaseResult } from './caseResult';

export const GOAL_SECONDS = 10;

/**
 * Case 4: `lethe enqueue --file` of 1,000,000 IDs: read, parse and write the batch to a directory
 * state store. The baseline only copies the file: the floor of reading and writing those bytes.
 */
export async function enqueueMillionIds(data: BenchData, rounds: number, scratchRoot: string): Promise<CaseResult> {
  const scratch = await mkdtemp(path.join(scratchRoot, 'enqueue-'));
  const stateDir = path.join(scratch, 'state');
  let count = 0;
  try {
    const timing = await timeSideBySide(rounds, {
      prepare: async () => {
        await rm(stateDir, { recursive: true, force: true });
        await rm(path.join(scratch, 'copy.txt'), { force: true });
      },
      baseline: async () => {
        await copyFile(data.enqueueFile, path.join(scratch, 'copy.txt'));
      },
      lethe: async () => {
        const text = await readFile(data.enqueueFile, 'utf8');
        const items = parseMatchFile(text, 'txt', path.basename(data.enqueueFile));
        count = (await enqueueMatches(new DirectoryStateStore(stateDir), items)).count;
      },
    });
    if (count !== data.sizes.enqueueIds) throw new Error(`enqueued ${count} IDs, expected ${data.sizes.enqueueIds}`);
    return {
      id: 'enqueueMillionIds',
      title: `enqueue ${count.toLocaleString('en')} IDs from a file`,
      unit: 's',
      lethe: timing.lethe,
      baseline: timing.baseline,
      baselineName: 'copy of the ID file',
      ratio: timing.ratio,
      goal: `< ${GOAL_SECONDS} s`,
      met: Math.max(...timing.lethe.runs) < GOAL_SECONDS,
      figures: { ids: count, idsPerSecond: count / timing.lethe.median },
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

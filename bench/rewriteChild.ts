import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { closeDuckDb, openDuckDb } from '../shared/duckdb/openDuckDb';
import { quoteLiteral } from '../shared/duckdb/sqlText';
import { rewriteObject } from '../shared/rewrite/rewriteObject';
import { loadCustomerIds } from './benchMatchSets';
import { CODEC, ROW_GROUP_ROWS } from './generateBenchData';
import { peakRssBytes, timeOnce } from './measure';
import { parseObjectUri } from '../shared/model/identifiers';

/**
 * One rewrite in a fresh process, so the peak RSS printed is the rewrite's alone:
 * node rewriteChild.js lethe|baseline INPUT OUTPUT MEMORY_LIMIT IDS_JSON SCRATCH
 */
async function main(argv: string[]): Promise<void> {
  const [side, input, output, memoryLimit, idsFile, scratch] = argv;
  if (!side || !input || !output || !memoryLimit || !idsFile || !scratch) throw new Error('usage: rewriteChild lethe|baseline INPUT OUTPUT MEMORY_LIMIT IDS_JSON SCRATCH');
  const duckdb = await openDuckDb({ memoryLimit, threads: 0, tempDirectory: path.join(scratch, 'duckdb') });
  try {
    const ids = JSON.parse(await readFile(idsFile, 'utf8')) as string[];
    const matchSets = await loadCustomerIds(duckdb.connection, ids);
    const before = peakRssBytes();
    let baselineThreads = 0;
    const seconds = await timeOnce(async () => {
      if (side === 'baseline') {
        const copy = `COPY (SELECT * FROM read_parquet(${quoteLiteral(input)})) TO ${quoteLiteral(output)} (FORMAT parquet, COMPRESSION ${CODEC}, ROW_GROUP_SIZE ${ROW_GROUP_ROWS})`;
        try {
          await duckdb.connection.run(copy);
        } catch (error) {
          // As lethe's rewrite does: a plain COPY under a small limit only fits on one thread.
          if (!/Out of Memory Error/i.test(String(error))) throw error;
          baselineThreads = 1;
          await duckdb.connection.run('SET threads = 1');
          await duckdb.connection.run(copy);
        }
      } else {
        await rewriteObject(duckdb.connection, { format: 'parquet', inputFile: input, outputFile: output, matchSets, tempDirectory: scratch, context: { mapperId: 'bench', object: parseObjectUri(input) } });
      }
    });
    process.stdout.write(`${JSON.stringify({ seconds, peakRssBytes: peakRssBytes(), rssBeforeBytes: before, baselineThreads })}\n`);
  } finally {
    closeDuckDb(duckdb);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});

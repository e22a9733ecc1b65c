import { JobProgress } from '../shared/job/runJob';

/**
 * Shows a job's progress on a terminal as one line rewritten in place; elsewhere (CI, a pipe) prints
 * a line only when the status changes, so logs stay short.
 */
export function createProgressLine(stream: NodeJS.WriteStream = process.stderr): { update: (p: JobProgress) => void; done: () => void } {
  let lastStatus = '';
  let lastText = '';
  const started = Date.now();
  return {
    update: ({ job, forget }) => {
      const c = job.counters;
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      const objects = forget ? ` objects ${forget.total - forget.remaining}/${forget.total}` : c.objectsFound ? ` objects found ${c.objectsFound}` : '';
      const text = `job ${job.id} ${job.status.padEnd(17)} ids ${c.matchIds}${objects} rows deleted ${c.rowsDeleted} [${seconds}s]`;
      if (stream.isTTY) {
        if (text !== lastText) stream.write(`\r\x1b[2K${text}`);
      } else if (job.status !== lastStatus) {
        stream.write(`${text}\n`);
      }
      lastStatus = job.status;
      lastText = text;
    },
    done: () => {
      if (stream.isTTY && lastText) stream.write('\n');
    },
  };
}

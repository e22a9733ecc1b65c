import assert from 'node:assert/strict';
import { parseJobId } from '../../../shared/model/identifiers';
import { renderNotification } from '../../../shared/report/renderNotification';

const jobId = parseJobId('20261202T031500Z-a1b2c3');
const totals = { objectsFound: 30, objectsUpdated: 5, objectsUnchanged: 0, objectsMissing: 0, objectsFailed: 25, rowsDeleted: 12, versionsDeleted: 10 };

describe('renderNotification', () => {
  it('names the first 20 failed objects and counts the rest', () => {
    const failedObjects = Array.from({ length: 25 }, (_, i) => `s3://lake/t/part-${i}.parquet`);
    const { text } = renderNotification({ kind: 'finished', jobId, status: 'FORGET_PARTIALLY_FAILED', totals, failedObjects, report: 's3://state/jobs/x/report.html' });
    const listed = text.split('\n').filter((line) => line.startsWith('- s3://'));
    assert.deepEqual(listed, failedObjects.slice(0, 20).map((o) => `- ${o}`));
    assert.match(text, /^and 5 more \(see the report\)$/m);
    assert.match(text, /^Objects found: 30; updated: 5; unchanged: 0; missing: 0; failed or not done: 25$/m);
  });

  it('keeps every subject within the 100 characters SNS accepts', () => {
    const long = renderNotification({ kind: 'finished', jobId, status: 'COMPLETED_CLEANUP_FAILED', totals, failedObjects: [], failure: 'x'.repeat(500), report: 'r' });
    assert.ok(long.subject.length <= 100, long.subject);
    const awaiting = renderNotification({ kind: 'awaitingApproval', jobId, plan: { objects: 123456789, matches: 1, matchesUnapplied: 0, matchesSkipped: 0, bytesScanned: 1, mappers: [] } });
    assert.equal(awaiting.subject, `lethe job ${jobId} awaits approval (123456789 objects)`);
  });
});

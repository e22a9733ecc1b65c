import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { DataMapper } from '../model/dataMapper';
import { InputError, NotFoundError } from '../model/errors';
import { ObjectResult, isFinalOutcome } from '../model/objectResult';
import { WorkMessage } from '../model/workMessage';
import { Ports } from '../ports/Ports';
import { rewriteObject } from '../rewrite/rewriteObject';
import { MatchSession } from './matchSession';
import { readObjectResult, writeObjectResult } from '../records/objectResults';

/**
 * Forgets the matching rows of one object: read its current version, rewrite a local copy without the
 * rows (checked before it is used), replace the object only if it has not changed since it was read,
 * delete its older versions when the mapper asks, and record the result. Idempotent: an object that
 * already has a final result is left alone.
 */
export async function forgetObject(
  ports: Pick<Ports, 'lake' | 'state' | 'tempDirectory'>,
  message: WorkMessage,
  mapper: DataMapper,
  session: MatchSession,
  attempt: number,
): Promise<ObjectResult> {
  const previous = await readObjectResult(ports.state, message.jobId, message.object);
  if (previous && isFinalOutcome(previous.result.outcome)) return previous.result;
  if (!mapper.format) throw new InputError(`mapper "${mapper.id}": format unknown`, { mapperId: mapper.id });
  const started = Date.now();
  const base = { jobId: message.jobId, mapperId: message.mapperId, object: message.object, attempts: attempt };
  const head = await ports.lake.head(message.object);
  if (!head) {
    if (!mapper.ignoreObjectNotFound) throw new NotFoundError(`${message.object} not found (set ignoreObjectNotFound to skip such objects)`, { mapperId: mapper.id, object: message.object });
    return writeObjectResult(ports.state, { ...base, outcome: 'missing', durationMs: Date.now() - started, finishedAt: new Date().toISOString() });
  }
  // Refuse before rewriting: after the replace it would be too late to keep the object as it was.
  if (mapper.deleteOldVersions) await ports.lake.checkVersionsDeletable(message.object);
  const workDir = path.join(ports.tempDirectory, `forget-${randomBytes(6).toString('hex')}`);
  await mkdir(workDir, { recursive: true });
  try {
    const inputFile = path.join(workDir, 'source');
    const outputFile = path.join(workDir, 'rewritten');
    await ports.lake.download(head, inputFile);
    const rewrite = await rewriteObject(session.connection, {
      format: mapper.format,
      inputFile,
      outputFile,
      matchSets: session.matchSets,
      tempDirectory: workDir,
      context: { mapperId: mapper.id, object: message.object },
    });
    const source = { etag: head.etag, ...(head.versionId ? { versionId: head.versionId } : {}), size: head.size };
    const rows = { rowsBefore: rewrite.rowsBefore, rowsAfter: rewrite.rowsAfter, rowsDeleted: rewrite.rowsDeleted };
    if (rewrite.rowsDeleted === 0) {
      return writeObjectResult(ports.state, { ...base, outcome: 'unchanged', source, ...rows, durationMs: Date.now() - started, finishedAt: new Date().toISOString() });
    }
    const written = await ports.lake.replace(head, outputFile, head.props);
    const versionsDeleted = mapper.deleteOldVersions ? await ports.lake.deleteOtherVersions(written) : 0;
    return writeObjectResult(ports.state, {
      ...base,
      outcome: 'updated',
      source,
      output: { etag: written.etag, ...(written.versionId ? { versionId: written.versionId } : {}), size: written.size },
      ...rows,
      versionsDeleted,
      physicalChanges: rewrite.physicalChanges,
      durationMs: Date.now() - started,
      finishedAt: new Date().toISOString(),
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

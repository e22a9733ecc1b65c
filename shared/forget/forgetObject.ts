import path from 'node:path';
import { DataFormat, DataMapper } from '../model/dataMapper';
import { InputError, NotFoundError } from '../model/errors';
import { ObjectResult, ObjectVersionRef, isFinalOutcome } from '../model/objectResult';
import { WorkMessage } from '../model/workMessage';
import { ObjectHead, ObjectStore } from '../ports/ObjectStore';
import { Ports } from '../ports/Ports';
import { PartialSourceFile } from '../rewrite/partialSourceFile';
import { rewriteObject } from '../rewrite/rewriteObject';
import { makeScratchDirectory } from '../scratch/makeScratchDirectory';
import { removeScratchLater } from '../scratch/removeScratchLater';
import { MatchSession } from './matchSession';
import { sha256OfFile } from '../scratch/sha256OfFile';
import { readObjectResult, writeObjectResult } from '../records/objectResults';

/**
 * Forgets the matching rows of one object for every mapper covering it: read its current version,
 * rewrite a local copy without the rows any of the mappers matches (checked before it is used),
 * replace the object only if it has not changed since it was read, delete its older versions when a
 * mapper asks, and record the result. Idempotent: an object that already has a final result is left
 * alone, and a retry after a replace whose result was not recorded as final (version cleanup failed,
 * or the delivery died) only finishes the cleanup and records what that replace did.
 */
export async function forgetObject(
  ports: Pick<Ports, 'lake' | 'state' | 'tempDirectory'>,
  message: WorkMessage,
  mappers: readonly DataMapper[],
  session: MatchSession,
  attempt: number,
  /** Aborted when the worker's hold on the message (its visibility lease) is lost: the object is another delivery's now. */
  lease?: AbortSignal,
): Promise<ObjectResult> {
  // Checked before every write to the lake or the state: a loser must not race the redelivery.
  const stillOurs = () => lease?.throwIfAborted();
  const previous = await readObjectResult(ports.state, message.jobId, message.object);
  if (previous && isFinalOutcome(previous.result.outcome)) return previous.result;
  const format = agreedFormat(mappers, message.object);
  // Any mapper asking for it is enough: its matches may sit in an older version.
  const deleteOldVersions = mappers.some((m) => m.deleteOldVersions);
  const started = Date.now();
  const base = { jobId: message.jobId, mapperIds: [...message.mapperIds], object: message.object, attempts: attempt };
  // Each write of the result is conditional on the record as this delivery last left it.
  const seen = { etag: previous?.etag };
  const finish = (result: Omit<ObjectResult, keyof typeof base | 'durationMs' | 'finishedAt'>) => {
    stillOurs();
    return writeObjectResult(ports.state, { ...base, ...result, durationMs: Date.now() - started, finishedAt: new Date().toISOString() }, seen);
  };
  const head = await ports.lake.head(message.object);
  if (!head) {
    const strict = mappers.filter((m) => !m.ignoreObjectNotFound).map((m) => `"${m.id}"`);
    if (strict.length > 0) {
      throw new NotFoundError(`${message.object} not found (mapper ${strict.join(', ')} does not set ignoreObjectNotFound)`, { object: message.object });
    }
    // Deleted since the find; in a versioned bucket its older versions still hold the match.
    if (!deleteOldVersions) return finish({ outcome: 'missing' });
    await ports.lake.checkVersionsDeletable(message.object);
    stillOurs();
    return finish({ outcome: 'missing', versionsDeleted: await ports.lake.deleteAllVersions(message.object) });
  }
  // Refuse before rewriting: after the replace it would be too late to keep the object as it was.
  if (deleteOldVersions) await ports.lake.checkVersionsDeletable(message.object);
  // An earlier delivery replaced the object and then failed, lost its lease or was killed before its
  // result said updated: rewriting again would find nothing, count the object unchanged with 0 rows
  // and skip the cleanup of older versions, leaving the match behind.
  const earlier = previous?.result;
  const finishEarlierReplace = async ({ source, outputSha256, rowsBefore, rowsAfter, rowsDeleted, physicalChanges }: ObjectResult): Promise<ObjectResult> => {
    stillOurs();
    const versionsDeleted = deleteOldVersions ? await ports.lake.deleteOtherVersions(head) : 0;
    return finish({ outcome: 'updated', ...(source ? { source } : {}), output: versionRef(head), ...(outputSha256 ? { outputSha256 } : {}), rowsBefore, rowsAfter, rowsDeleted, physicalChanges, versionsDeleted });
  };
  if (earlier?.output && isVersion(head, earlier.output)) return finishEarlierReplace(earlier);
  const workDir = await makeScratchDirectory(ports.tempDirectory, 'forget');
  // Awaited inside: a result write that fails must reject before the finally, not after it.
  try {
    const inputFile = path.join(workDir, 'source');
    const outputFile = path.join(workDir, 'rewritten');
    // Killed before it could record the version it wrote, it recorded the bytes it was writing: those are compared whole.
    const partialInput = earlier?.outputSha256 ? undefined : await openPartialInput(ports.lake, head, format, inputFile);
    if (!partialInput) await ports.lake.download(head, inputFile);
    if (earlier?.outputSha256 && (await sha256OfFile(inputFile)) === earlier.outputSha256) return await finishEarlierReplace(earlier);
    // A store that tells the version its replace will write needs no digest to know the rewrite again.
    const versionAfterReplace = ports.lake.versionAfterReplace?.bind(ports.lake);
    const rewrite = await rewriteObject(session.connection, {
      format,
      hashOutput: !versionAfterReplace,
      inputFile,
      ...(partialInput ? { partialInput } : {}),
      outputFile,
      matchSets: session.matchSets,
      tempDirectory: workDir,
      context: { mapperId: message.mapperIds.join(','), object: message.object },
    });
    const source = versionRef(head);
    const rows = { rowsBefore: rewrite.rowsBefore, rowsAfter: rewrite.rowsAfter, rowsDeleted: rewrite.rowsDeleted };
    if (rewrite.rowsDeleted === 0) {
      // The find saw a match here, so an older version holds it (a write since the find, or an
      // earlier delivery that replaced the object and was killed before recording it).
      stillOurs();
      return await finish({ outcome: 'unchanged', source, ...rows, versionsDeleted: deleteOldVersions ? await ports.lake.deleteOtherVersions(head) : 0 });
    }
    // A splice of a partly read object never had most of its bytes here (the store copies them from
    // the source), so it has no hash to record: a redelivery after a kill in the replace counts it
    // unchanged with 0 rows (its version cleanup still runs).
    const unread = partialInput?.unreadRanges() ?? [];
    const predicted = await versionAfterReplace?.(head, outputFile);
    const digest = !predicted && unread.length === 0 ? (rewrite.outputSha256 ?? (await sha256OfFile(outputFile))) : undefined;
    const identity = predicted ? { output: { etag: predicted, size: rewrite.outputBytes } } : digest ? { outputSha256: digest } : {};
    const replacing = { source, ...identity, ...rows, physicalChanges: rewrite.physicalChanges };
    // Recorded before the replace, so a delivery after one killed between the replace and its result
    // can tell that the object holds this rewrite: by the version the store said it would write, else
    // by the rewrite's digest (the store may move the file: hashed first).
    await finish({ outcome: 'failed', ...replacing, error: 'replacing; not confirmed yet' });
    stillOurs();
    const written = await ports.lake.replace(head, outputFile, head.props, rewrite.unchangedRanges, unread);
    const replaced = { ...replacing, output: versionRef(written) };
    if (!deleteOldVersions) return await finish({ outcome: 'updated', ...replaced, versionsDeleted: 0 });
    // A version without an id (a folder lake) has no older versions: its cleanup deletes nothing, and
    // a retry after a kill here still knows the replace by what was recorded before it.
    if (written.versionId !== undefined || (!predicted && !digest)) {
      // Recorded before the cleanup, so a retry knows the replace was its own and only the cleanup is left.
      await finish({ outcome: 'failed', ...replaced, error: 'replaced; older versions not deleted yet' });
      stillOurs();
    }
    return await finish({ outcome: 'updated', ...replaced, versionsDeleted: await ports.lake.deleteOtherVersions(written) });
  } finally {
    // The folder may hold the last link to the object as it was: finishJob waits for its removal.
    removeScratchLater(workDir);
  }
}

/**
 * Below this, one GET of the whole object costs less than reading its footer, its match columns and
 * then its touched row groups apart, and a splice could copy little of it server-side (S3's parts
 * are at least 5 MiB).
 */
const RANGED_READ_MIN_BYTES = 16 * 1024 * 1024;

/**
 * A large Parquet object on a store that reads ranges is read by the rewrite as it needs it (only the
 * row groups it changes, for a splice); undefined when it is to be downloaded whole.
 */
async function openPartialInput(lake: ObjectStore, head: ObjectHead, format: DataFormat, inputFile: string): Promise<PartialSourceFile | undefined> {
  const readRanges = lake.readRanges?.bind(lake);
  if (format !== 'parquet' || !readRanges || head.size < RANGED_READ_MIN_BYTES) return undefined;
  return PartialSourceFile.create(inputFile, head.size, (ranges) => readRanges(head, ranges, inputFile));
}

/** The one format every mapper over the object reads it as; InputError naming them when they disagree. */
function agreedFormat(mappers: readonly DataMapper[], object: string): DataFormat {
  const unknown = mappers.find((m) => !m.format);
  if (unknown) throw new InputError(`mapper "${unknown.id}": format unknown`, { mapperId: unknown.id, object });
  const formats = [...new Set(mappers.map((m) => m.format!))];
  if (formats.length !== 1) {
    const described = mappers.map((m) => `"${m.id}" (${m.format})`).join(', ');
    throw new InputError(`${object}: mappers ${described} cover this object with different formats; it is left unchanged until they agree`, { object });
  }
  return formats[0]!;
}

function versionRef(at: ObjectHead): ObjectVersionRef {
  return { etag: at.etag, ...(at.versionId ? { versionId: at.versionId } : {}), size: at.size };
}

function isVersion(head: ObjectHead, ref: ObjectVersionRef): boolean {
  return head.etag === ref.etag && head.versionId === ref.versionId;
}

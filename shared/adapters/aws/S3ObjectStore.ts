import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CompletedPart,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  GetObjectCommandOutput,
  GetObjectTaggingCommand,
  Grant,
  HeadObjectCommand,
  HeadObjectCommandOutput,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  RequestPayer,
  S3Client,
  ServerSideEncryption,
  StorageClass,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { ConflictError, InputError, LetheError, NotFoundError, UnreadableObjectError } from '../../model/errors';
import { ByteRange, ObjectHead, ObjectListing, ObjectProps, ObjectStore, ObjectVersion } from '../../ports/ObjectStore';
import { planSplicedUpload, SplicedPart } from './planSplicedUpload';
import { intersectRanges, mergeRanges, rangesCovered } from '../../model/byteRanges';
import { formatS3Uri, parseS3Uri } from '../../model/parseS3Uri';
import { awsErrorCode, translateAwsError } from './translateAwsError';
import { ObjectUri, parseETag, parseObjectUri } from '../../model/identifiers';

export interface S3ObjectStoreOptions {
  client: S3Client;
  /** Sends `x-amz-request-payer: requester` on every call, for lakes in requester-pays buckets. */
  requesterPays?: boolean;
  /** Files larger than this go up as a multipart upload (PutObject takes at most 5 GiB). */
  multipartThresholdBytes?: number;
  /** Part size of a multipart upload; S3 needs at least 5 MiB for every part but the last. */
  partSizeBytes?: number;
  /** Parts uploaded at once. */
  partConcurrency?: number;
}

const MIB = 1024 * 1024;
/** S3 allows at most 10,000 parts; the part size grows to fit larger files. */
const MAX_PARTS = 10_000;
/** ListObjectVersions/DeleteObjects take at most 1,000 keys a call. */
const DELETE_BATCH = 1000;

type BucketVersioning = 'enabled' | 'suspended' | 'disabled' | 'mfa-delete';

interface VersionEntry {
  versionId: string;
  modified: number;
  latest: boolean;
}

/** A whole file as upload parts of `partSize` (grown to fit MAX_PARTS). */
function wholeFileParts(size: number, partSizeBytes: number): SplicedPart[] {
  const partSize = Math.max(partSizeBytes, Math.ceil(size / MAX_PARTS));
  return Array.from({ length: Math.ceil(size / partSize) }, (_, i) => ({ kind: 'upload' as const, offset: i * partSize, length: Math.min(partSize, size - i * partSize) }));
}

/** The lake on S3: versioned reads, conditional (If-Match) replaces, exact-key version cleanup. */
export class S3ObjectStore implements ObjectStore {
  private readonly client: S3Client;
  private readonly requestPayer: RequestPayer | undefined;
  private readonly multipartThresholdBytes: number;
  private readonly partSizeBytes: number;
  private readonly partConcurrency: number;
  private readonly versioning = new Map<string, Promise<BucketVersioning>>();

  constructor(options: S3ObjectStoreOptions) {
    this.client = options.client;
    this.requestPayer = options.requesterPays ? 'requester' : undefined;
    this.multipartThresholdBytes = options.multipartThresholdBytes ?? 64 * MIB;
    this.partSizeBytes = Math.max(options.partSizeBytes ?? 16 * MIB, 5 * MIB);
    this.partConcurrency = Math.max(1, options.partConcurrency ?? 4);
  }

  async *list(prefix: string): AsyncIterable<ObjectListing> {
    const { bucket, key } = parseS3Uri(prefix);
    let token: string | undefined;
    do {
      const page = await this.call(`ListObjectsV2 ${prefix}`, { object: prefix }, () =>
        this.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, ContinuationToken: token, RequestPayer: this.requestPayer })),
      );
      for (const item of page.Contents ?? []) {
        if (item.Key === undefined || item.Key.endsWith('/')) continue;
        yield { uri: parseObjectUri(formatS3Uri(bucket, item.Key), `ListObjectsV2 ${prefix}`), size: item.Size ?? 0 };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async head(uri: ObjectUri): Promise<ObjectHead | undefined> {
    const { bucket, key } = parseS3Uri(uri);
    let head: HeadObjectCommandOutput;
    try {
      head = await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key, RequestPayer: this.requestPayer }));
    } catch (error) {
      const translated = translateAwsError(error, `HeadObject ${uri}`, { object: uri });
      if (translated instanceof NotFoundError) return undefined;
      throw translated;
    }
    if (head.ETag === undefined) throw new LetheError(`HeadObject ${uri}: S3 returned no ETag`, { object: uri });
    if (head.SSECustomerAlgorithm) {
      throw new UnreadableObjectError(`${uri}: encrypted with a customer-provided key (SSE-C), which lethe cannot read or restore`, { object: uri });
    }
    // Tags and ACL are read for the version HeadObject saw, so all props describe one version.
    const versionId = head.VersionId && head.VersionId !== 'null' ? head.VersionId : undefined;
    const [tagging, acl] = await Promise.all([
      this.call(`GetObjectTagging ${uri}`, { object: uri }, () =>
        this.client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key, VersionId: versionId, RequestPayer: this.requestPayer })),
      ),
      this.call(`GetObjectAcl ${uri}`, { object: uri }, () =>
        this.client.send(new GetObjectAclCommand({ Bucket: bucket, Key: key, VersionId: versionId, RequestPayer: this.requestPayer })),
      ),
    ]);
    const props: ObjectProps = {};
    if (head.ContentType) props.contentType = head.ContentType;
    if (head.ContentEncoding) props.contentEncoding = head.ContentEncoding;
    if (head.ContentDisposition) props.contentDisposition = head.ContentDisposition;
    if (head.ContentLanguage) props.contentLanguage = head.ContentLanguage;
    if (head.CacheControl) props.cacheControl = head.CacheControl;
    const expires = head.ExpiresString ?? head.Expires?.toUTCString();
    if (expires) props.expires = expires;
    if (head.Metadata && Object.keys(head.Metadata).length > 0) props.metadata = { ...head.Metadata };
    const tags = Object.fromEntries((tagging.TagSet ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
    if (Object.keys(tags).length > 0) props.tags = tags;
    // HeadObject omits x-amz-storage-class for STANDARD.
    props.storageClass = head.StorageClass ?? 'STANDARD';
    if (head.ServerSideEncryption) props.serverSideEncryption = head.ServerSideEncryption;
    if (head.SSEKMSKeyId) props.sseKmsKeyId = head.SSEKMSKeyId;
    if (head.BucketKeyEnabled !== undefined) props.bucketKeyEnabled = head.BucketKeyEnabled;
    props.grants = (acl.Grants ?? []).map(describeGrant);
    return { uri, etag: parseETag(head.ETag, `HeadObject ${uri}`), ...(versionId ? { versionId } : {}), size: head.ContentLength ?? 0, props };
  }

  async download(at: ObjectVersion, toFile: string): Promise<void> {
    const response = await this.getVersion(at);
    const written = await this.streamTo(at, response, toFile);
    if (response.ContentLength !== undefined && written !== response.ContentLength) {
      throw new LetheError(`GetObject ${at.uri}: wrote ${written} bytes to ${toFile}, expected ${response.ContentLength} (Content-Length)`, { object: at.uri });
    }
  }

  /** Ranged GETs of the version, a few at a time, each written in place. */
  async readRanges(at: ObjectVersion, ranges: readonly ByteRange[], toFile: string): Promise<void> {
    const wanted = ranges.filter((range) => range.length > 0);
    await this.inTurns(wanted.length, async (index) => {
      const range = wanted[index]!;
      const response = await this.getVersion(at, range);
      const written = await this.streamTo(at, response, toFile, range.offset);
      if (written !== range.length) {
        throw new LetheError(`GetObject ${at.uri} bytes ${range.offset}-${range.offset + range.length - 1}: got ${written} bytes, expected ${range.length}`, { object: at.uri });
      }
    });
  }

  /** GetObject of exactly that version, or of one range of it. */
  private async getVersion(at: ObjectVersion, range?: ByteRange): Promise<GetObjectCommandOutput> {
    const { bucket, key } = parseS3Uri(at.uri);
    const context = { object: at.uri };
    try {
      // VersionId pins the bytes; IfMatch also guards an unversioned bucket, where there is no VersionId.
      return await this.client.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          VersionId: at.versionId,
          IfMatch: at.etag,
          Range: range ? `bytes=${range.offset}-${range.offset + range.length - 1}` : undefined,
          RequestPayer: this.requestPayer,
        }),
      );
    } catch (error) {
      const translated = translateAwsError(error, `GetObject ${at.uri}${at.versionId ? ` version ${at.versionId}` : ''}`, context);
      if (translated instanceof NotFoundError) throw new ConflictError(`${translated.message} (the version read earlier is gone)`, context);
      throw archivedOr(error, at.uri, translated);
    }
  }

  /** Streams a GetObject body into `toFile` from `start` (a new file when undefined); the bytes written. */
  private async streamTo(at: ObjectVersion, response: GetObjectCommandOutput, toFile: string, start?: number): Promise<number> {
    if (!(response.Body instanceof Readable)) throw new LetheError(`GetObject ${at.uri}: expected a stream body`, { object: at.uri });
    const sink = start === undefined ? createWriteStream(toFile) : createWriteStream(toFile, { flags: 'r+', start });
    try {
      await pipeline(response.Body, sink);
    } catch (error) {
      throw translateAwsError(error, `GetObject ${at.uri}: streaming to ${toFile}`, { object: at.uri });
    }
    return sink.bytesWritten;
  }

  async replace(at: ObjectVersion, fromFile: string, props: ObjectProps, unchanged: readonly ByteRange[] = [], unread: readonly ByteRange[] = []): Promise<ObjectHead> {
    const size = (await stat(fromFile)).size;
    const spliced = planSplicedUpload(size, mergeRanges(unchanged), this.partSizeBytes);
    // Unchanged ranges worth a part of their own go server-side (UploadPartCopy) whatever the size.
    const parts = spliced.some((part) => part.kind === 'copy') && spliced.length <= MAX_PARTS ? spliced : size > this.multipartThresholdBytes ? wholeFileParts(size, this.partSizeBytes) : undefined;
    await this.readUnreadSent(at, fromFile, size, unchanged, unread, parts);
    const written = parts ? await this.putMultipart(at, fromFile, size, props, parts) : await this.putSingle(at, fromFile, size, props);
    if (!written.etag) throw new LetheError(`replace ${at.uri}: S3 returned no ETag`, { object: at.uri });
    return { uri: at.uri, etag: parseETag(written.etag, `replace ${at.uri}`), ...(written.versionId ? { versionId: written.versionId } : {}), size, props };
  }

  /**
   * The bytes of `unread` that go up from the local file (every upload part, or the whole file for
   * a single PutObject) are read from `at` first; the rest are copied by S3 from `at` itself. Only
   * an unchanged range may be filled so: anywhere else the file's bytes are not the source's.
   */
  private async readUnreadSent(at: ObjectVersion, fromFile: string, size: number, unchanged: readonly ByteRange[], unread: readonly ByteRange[], parts: readonly SplicedPart[] | undefined): Promise<void> {
    if (unread.length === 0) return;
    if (!rangesCovered(unread, unchanged)) throw new LetheError(`replace ${at.uri}: bytes never read from the source lie outside its unchanged ranges; not replaced`, { object: at.uri });
    const sent = parts ? parts.filter((part) => part.kind === 'upload') : [{ offset: 0, length: size }];
    await this.readRanges(at, intersectRanges(unread, sent), fromFile);
  }

  async checkVersionsDeletable(uri: ObjectUri): Promise<void> {
    const { bucket } = parseS3Uri(uri);
    const versioning = await this.bucketVersioning(bucket, uri);
    if (versioning === 'mfa-delete') {
      throw new InputError(
        `${uri}: bucket "${bucket}" has MFA delete enabled, so lethe cannot delete the object's old versions; disable MFA delete or set deleteOldVersions: false`,
        { object: uri },
      );
    }
    if (versioning === 'disabled') {
      throw new InputError(
        `${uri}: bucket "${bucket}" is not versioned, so lethe cannot tell which versions it removed; enable versioning or set deleteOldVersions: false`,
        { object: uri },
      );
    }
  }

  async deleteOtherVersions(keep: ObjectVersion): Promise<number> {
    const { bucket, key } = parseS3Uri(keep.uri);
    await this.checkVersionsDeletable(keep.uri);
    if (keep.versionId === undefined) {
      throw new InputError(`${keep.uri}: the rewritten object has no version id, so its old versions cannot be told apart`, { object: keep.uri });
    }
    return this.deleteVersions(keep.uri, await this.olderVersions(bucket, key, keep));
  }

  async deleteAllVersions(uri: ObjectUri): Promise<number> {
    const { bucket, key } = parseS3Uri(uri);
    await this.checkVersionsDeletable(uri);
    const { versions, markers } = await this.listVersions(bucket, key, uri);
    const current = versions.find((entry) => entry.latest);
    if (current) throw new ConflictError(`${uri} exists again (version ${current.versionId}); its versions were left in place`, { object: uri });
    return this.deleteVersions(uri, [...versions, ...markers].map((entry) => entry.versionId));
  }

  /** DeleteObjects by exact key and version id, at most 1,000 a call; any version S3 refuses fails the call. */
  private async deleteVersions(uri: ObjectUri, versionIds: readonly string[]): Promise<number> {
    const { bucket, key } = parseS3Uri(uri);
    const context = { object: uri };
    let deleted = 0;
    for (let i = 0; i < versionIds.length; i += DELETE_BATCH) {
      const batch = versionIds.slice(i, i + DELETE_BATCH);
      const result = await this.call(`DeleteObjects ${uri}`, context, () =>
        this.client.send(
          new DeleteObjectsCommand({
            Bucket: bucket,
            Delete: { Objects: batch.map((versionId) => ({ Key: key, VersionId: versionId })), Quiet: false },
            RequestPayer: this.requestPayer,
          }),
        ),
      );
      const errors = result.Errors ?? [];
      if (errors.length > 0) {
        const first = errors[0]!;
        throw new LetheError(
          `DeleteObjects ${uri}: ${errors.length} of ${batch.length} versions not deleted (${first.Code ?? 'error'}: ${first.Message ?? ''}, version ${first.VersionId ?? '?'})`,
          context,
        );
      }
      deleted += (result.Deleted ?? []).length;
    }
    return deleted;
  }

  /**
   * Versions and delete markers of exactly `key` that are older than `keep`. Versions newer than
   * `keep` belong to a writer that came after lethe and are left alone.
   */
  private async olderVersions(bucket: string, key: string, keep: ObjectVersion): Promise<string[]> {
    const { versions, markers } = await this.listVersions(bucket, key, keep.uri);
    // S3 lists the versions of one key newest first: everything after `keep` is older.
    const index = versions.findIndex((entry) => entry.versionId === keep.versionId);
    if (index < 0) throw new ConflictError(`${keep.uri}: version ${keep.versionId} is no longer there; old versions left in place`, { object: keep.uri });
    const kept = versions[index]!;
    // The SDK parses versions and delete markers into two lists, losing their relative order, and
    // LastModified has one-second resolution: a marker from the same second as `keep` counts as
    // newer only when it is the latest entry or other writers already came after `keep`.
    const olderMarkers = markers.filter((marker) => marker.modified < kept.modified || (marker.modified === kept.modified && !marker.latest && index === 0));
    return [...versions.slice(index + 1), ...olderMarkers].map((entry) => entry.versionId);
  }

  /**
   * Every version and delete marker of exactly `key`, newest first. ListObjectVersions matches a
   * prefix, so `orders/part-1` also lists `orders/part-10`: those are filtered out.
   */
  private async listVersions(bucket: string, key: string, uri: string): Promise<{ versions: VersionEntry[]; markers: VersionEntry[] }> {
    const versions: VersionEntry[] = [];
    const markers: VersionEntry[] = [];
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    do {
      const page = await this.call(`ListObjectVersions ${uri}`, { object: uri }, () =>
        this.client.send(
          new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key, KeyMarker: keyMarker, VersionIdMarker: versionMarker, RequestPayer: this.requestPayer }),
        ),
      );
      const exact = <T extends { Key?: string; VersionId?: string; LastModified?: Date; IsLatest?: boolean }>(items: T[] | undefined) =>
        (items ?? [])
          .filter((item) => item.Key === key && item.VersionId !== undefined)
          .map((item) => ({ versionId: item.VersionId!, modified: item.LastModified?.getTime() ?? 0, latest: item.IsLatest === true }));
      versions.push(...exact(page.Versions));
      markers.push(...exact(page.DeleteMarkers));
      // Keys come in order, so once the listing has moved past `key` the rest is other keys.
      const more = page.IsTruncated === true && page.NextKeyMarker !== undefined && page.NextKeyMarker <= key;
      keyMarker = more ? page.NextKeyMarker : undefined;
      versionMarker = more ? page.NextVersionIdMarker : undefined;
    } while (keyMarker !== undefined);
    return { versions, markers };
  }

  private bucketVersioning(bucket: string, uri: string): Promise<BucketVersioning> {
    let cached = this.versioning.get(bucket);
    if (!cached) {
      cached = this.call(`GetBucketVersioning ${bucket}`, { object: uri }, () => this.client.send(new GetBucketVersioningCommand({ Bucket: bucket }))).then(
        (result): BucketVersioning => {
          if (result.MFADelete === 'Enabled') return 'mfa-delete';
          if (result.Status === 'Enabled') return 'enabled';
          return result.Status === 'Suspended' ? 'suspended' : 'disabled';
        },
      );
      cached.catch(() => this.versioning.delete(bucket));
      this.versioning.set(bucket, cached);
    }
    return cached;
  }

  private async putSingle(at: ObjectVersion, fromFile: string, size: number, props: ObjectProps): Promise<{ etag?: string; versionId?: string }> {
    const { bucket, key } = parseS3Uri(at.uri);
    const result = await this.conditional(`PutObject ${at.uri} If-Match ${at.etag}`, at, () =>
      this.client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: createReadStream(fromFile),
          ContentLength: size,
          IfMatch: at.etag,
          RequestPayer: this.requestPayer,
          ...writeProps(props),
        }),
      ),
    );
    return { etag: result.ETag, versionId: result.VersionId };
  }

  /**
   * A manual multipart upload so that CompleteMultipartUpload carries If-Match (transfer managers
   * such as lib-storage's Upload do not pass it). Any failure aborts the upload before rethrowing.
   */
  private async putMultipart(at: ObjectVersion, fromFile: string, size: number, props: ObjectProps, plan: readonly SplicedPart[]): Promise<{ etag?: string; versionId?: string }> {
    const { bucket, key } = parseS3Uri(at.uri);
    const context = { object: at.uri };
    const partCount = plan.length;
    const planned = plan.reduce((sum, part) => sum + part.length, 0);
    if (partCount > MAX_PARTS || planned !== size) throw new LetheError(`multipart upload ${at.uri}: ${partCount} parts of ${planned} bytes planned for a ${size}-byte file`, context);
    const created = await this.call(`CreateMultipartUpload ${at.uri}`, context, () =>
      this.client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, RequestPayer: this.requestPayer, ...writeProps(props) })),
    );
    const uploadId = created.UploadId;
    if (!uploadId) throw new LetheError(`CreateMultipartUpload ${at.uri}: S3 returned no UploadId`, context);
    try {
      const parts = await this.uploadParts(at, uploadId, fromFile, plan);
      if (parts.length !== partCount || parts.some((part, i) => part.PartNumber !== i + 1 || !part.ETag)) {
        throw new LetheError(`multipart upload ${at.uri}: expected ${partCount} parts (${size} bytes), uploaded ${parts.length}`, context);
      }
      // S3 checks If-Match on CompleteMultipartUpload itself; this head only narrows the window on
      // S3-compatible stores that ignore the header there (moto did when this was written).
      const current = await this.currentEtag(bucket, key, at.uri);
      if (current !== at.etag) throw new ConflictError(`replace ${at.uri}: changed since it was read (ETag ${at.etag}, now ${current ?? 'gone'}); not overwritten`, context);
      const completed = await this.conditional(`CompleteMultipartUpload ${at.uri} If-Match ${at.etag}`, at, () =>
        this.client.send(
          new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, IfMatch: at.etag, MultipartUpload: { Parts: parts }, RequestPayer: this.requestPayer }),
        ),
      );
      return { etag: completed.ETag, versionId: completed.VersionId };
    } catch (error) {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, RequestPayer: this.requestPayer })).catch(() => undefined);
      throw error;
    }
  }

  private async currentEtag(bucket: string, key: string, uri: string): Promise<string | undefined> {
    try {
      return (await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key, RequestPayer: this.requestPayer }))).ETag;
    } catch (error) {
      const translated = translateAwsError(error, `HeadObject ${uri}`, { object: uri });
      if (translated instanceof NotFoundError) return undefined;
      throw translated;
    }
  }

  private async uploadParts(at: ObjectVersion, uploadId: string, fromFile: string, plan: readonly SplicedPart[]): Promise<CompletedPart[]> {
    const { bucket, key } = parseS3Uri(at.uri);
    const partCount = plan.length;
    const parts: CompletedPart[] = new Array(partCount);
    let next = 0;
    const worker = async () => {
      while (next < partCount) {
        const index = next++;
        const part = plan[index]!;
        const common = { Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: index + 1, RequestPayer: this.requestPayer };
        const what = `${part.kind === 'copy' ? 'UploadPartCopy' : 'UploadPart'} ${index + 1}/${partCount} ${at.uri}`;
        const etag =
          part.kind === 'copy'
            ? // The version read, pinned twice: by its id and by its ETag.
              (
                await this.call(what, { object: at.uri }, () =>
                  this.client.send(
                    new UploadPartCopyCommand({
                      ...common,
                      CopySource: `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}${at.versionId ? `?versionId=${encodeURIComponent(at.versionId)}` : ''}`,
                      CopySourceRange: `bytes=${part.offset}-${part.offset + part.length - 1}`,
                      CopySourceIfMatch: at.etag,
                    }),
                  ),
                )
              ).CopyPartResult?.ETag
            : (
                await this.call(what, { object: at.uri }, () =>
                  this.client.send(
                    new UploadPartCommand({ ...common, Body: createReadStream(fromFile, { start: part.offset, end: part.offset + part.length - 1 }), ContentLength: part.length }),
                  ),
                )
              ).ETag;
        parts[index] = { PartNumber: index + 1, ETag: etag };
      }
    };
    // allSettled: every worker stops before the upload is aborted, and the first failure is rethrown.
    const outcomes = await Promise.allSettled(Array.from({ length: Math.min(this.partConcurrency, partCount) }, worker));
    const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    return parts.filter((part) => part !== undefined);
  }

  /** Runs work(0..count-1), partConcurrency at a time; every worker stops before the first failure is rethrown. */
  private async inTurns(count: number, work: (index: number) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < count) await work(next++);
    };
    const outcomes = await Promise.allSettled(Array.from({ length: Math.min(this.partConcurrency, count) }, worker));
    const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** A conditional write: 412, 409 and 404 (the object is gone) all mean "changed since read". */
  private async conditional<T>(what: string, at: ObjectVersion, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      const translated = translateAwsError(error, what, { object: at.uri });
      if (translated instanceof NotFoundError && awsErrorCode(error).code !== 'NoSuchBucket') {
        throw new ConflictError(`${translated.message} (the object was deleted since it was read)`, { object: at.uri });
      }
      if (translated instanceof ConflictError) {
        throw new ConflictError(`${what}: the object changed since it was read; not overwritten`, { object: at.uri });
      }
      throw translated;
    }
  }

  private async call<T>(what: string, context: { object: string }, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw archivedOr(error, context.object, translateAwsError(error, what, context));
    }
  }
}

/** S3 answers InvalidObjectState for an object in a Glacier class that is not restored: that object cannot be erased now. */
function archivedOr(error: unknown, uri: string, translated: LetheError): LetheError {
  const { code, message } = awsErrorCode(error);
  if (code !== 'InvalidObjectState') return translated;
  return new UnreadableObjectError(`${uri}: archived (${message || code}); restore it before erasing`, { object: uri });
}

/** `id=<canonical id>`, `uri=<group>` or `emailAddress=<address>`: the x-amz-grant-* grantee forms. */
function describeGrant(grant: Grant): { grantee: string; permission: string } {
  const g = grant.Grantee;
  const grantee = g?.ID ? `id=${g.ID}` : g?.URI ? `uri=${g.URI}` : g?.EmailAddress ? `emailAddress=${g.EmailAddress}` : 'unknown';
  return { grantee, permission: grant.Permission ?? 'unknown' };
}

/** The PutObject/CreateMultipartUpload fields that restore an object's properties. */
function writeProps(props: ObjectProps) {
  const tags = Object.entries(props.tags ?? {});
  return {
    ContentType: props.contentType,
    ContentEncoding: props.contentEncoding,
    ContentDisposition: props.contentDisposition,
    ContentLanguage: props.contentLanguage,
    CacheControl: props.cacheControl,
    Expires: expiresDate(props.expires),
    Metadata: props.metadata,
    Tagging: tags.length > 0 ? new URLSearchParams(tags).toString().replace(/\+/g, '%20') : undefined,
    StorageClass: props.storageClass as StorageClass | undefined,
    ServerSideEncryption: props.serverSideEncryption as ServerSideEncryption | undefined,
    SSEKMSKeyId: props.sseKmsKeyId,
    BucketKeyEnabled: props.bucketKeyEnabled,
    ...grantHeaders(props.grants),
  };
}

/** An Expires header S3 kept as text may not be a date; such a header is not sent again rather than failing the rewrite. */
function expiresDate(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * Grant headers that rebuild the object's ACL. A lone FULL_CONTROL for a canonical user is the
 * default ACL of the writer's account; sending it would fail on buckets with ACLs disabled
 * (Object Ownership: bucket owner enforced), so it is left to S3.
 */
function grantHeaders(grants: ObjectProps['grants']): { GrantFullControl?: string; GrantRead?: string; GrantReadACP?: string; GrantWriteACP?: string } {
  if (!grants || grants.length === 0) return {};
  if (grants.length === 1 && grants[0]!.permission === 'FULL_CONTROL' && grants[0]!.grantee.startsWith('id=')) return {};
  const by = (permission: string) => {
    const list = grants.filter((g) => g.permission === permission).map((g) => headerGrantee(g.grantee));
    return list.length > 0 ? list.join(', ') : undefined;
  };
  const unsupported = grants.filter((g) => !['FULL_CONTROL', 'READ', 'READ_ACP', 'WRITE_ACP'].includes(g.permission));
  if (unsupported.length > 0) throw new InputError(`ACL grant ${unsupported[0]!.permission} to ${unsupported[0]!.grantee} cannot be set on an object`);
  const headers: { GrantFullControl?: string; GrantRead?: string; GrantReadACP?: string; GrantWriteACP?: string } = {};
  const full = by('FULL_CONTROL');
  const read = by('READ');
  const readAcp = by('READ_ACP');
  const writeAcp = by('WRITE_ACP');
  if (full) headers.GrantFullControl = full;
  if (read) headers.GrantRead = read;
  if (readAcp) headers.GrantReadACP = readAcp;
  if (writeAcp) headers.GrantWriteACP = writeAcp;
  return headers;
}

function headerGrantee(grantee: string): string {
  const eq = grantee.indexOf('=');
  return `${grantee.slice(0, eq)}="${grantee.slice(eq + 1)}"`;
}

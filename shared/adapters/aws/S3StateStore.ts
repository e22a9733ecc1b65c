import { DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, ListObjectVersionsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { retryWithBackoff } from '../../concurrency/retryWithBackoff';
import { ConflictError, LetheError, NotFoundError, TransientError } from '../../model/errors';
import { ETag, StateKey, parseETag, parseStateKey } from '../../model/identifiers';
import { StateStore, StoredValue } from '../../ports/StateStore';
import { MATCH_ID_TAG, holdsClearMatchIds } from '../../model/matchIdTag';
import { formatS3Uri } from '../../model/parseS3Uri';
import { awsErrorCode, translateAwsError } from './translateAwsError';

export interface S3StateStoreOptions {
  client: S3Client;
  bucket: string;
  /** Prepended to every key, e.g. `lethe/`; '' for the bucket root. */
  prefix?: string;
}

/**
 * lethe's state in an S3 bucket. Creates use If-None-Match: *, replaces If-Match: <etag>, so two
 * coordinators or workers never overwrite each other (S3 answers 412, or 409 for a race).
 */
export class S3StateStore implements StateStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(options: S3StateStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? '';
  }

  describe(key: StateKey): string {
    return formatS3Uri(this.bucket, this.prefix + key);
  }

  async read(key: StateKey): Promise<StoredValue | undefined> {
    // The SDK retries a request that fails, but not a body that breaks off after the headers came:
    // a GET is safe to send again, and a coordinator must not fail a job over one dropped connection.
    return retryWithBackoff(() => this.readOnce(key), { retries: 3, baseDelayMs: 100, isRetryable: (error) => error instanceof TransientError });
  }

  private async readOnce(key: StateKey): Promise<StoredValue | undefined> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
      if (!response.Body || !response.ETag) throw new LetheError(`GetObject ${this.describe(key)}: no body or ETag`);
      return { body: Buffer.from(await response.Body.transformToByteArray()), etag: parseETag(response.ETag, `GetObject ${this.describe(key)}`) };
    } catch (error) {
      const translated = translateAwsError(error, `read ${this.describe(key)}`);
      if (translated instanceof NotFoundError && awsErrorCode(error).code !== 'NoSuchBucket') return undefined;
      throw translated;
    }
  }

  async create(key: StateKey, body: Buffer | string): Promise<ETag> {
    return this.put(key, body, { IfNoneMatch: '*' }, 'it already exists');
  }

  async replace(key: StateKey, body: Buffer | string, ifMatch: ETag): Promise<ETag> {
    return this.put(key, body, { IfMatch: ifMatch }, `it changed since it was read (ETag ${ifMatch})`);
  }

  /**
   * Deletes the key and, in a versioned state bucket, its older versions too: queue batches and
   * manifests hold clear match IDs, and a noncurrent version would keep them readable.
   */
  async delete(key: StateKey, ifMatch?: ETag): Promise<void> {
    const fullKey = this.prefix + key;
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: fullKey, IfMatch: ifMatch }));
    } catch (error) {
      const translated = translateAwsError(error, `delete ${this.describe(key)}`);
      if (translated instanceof NotFoundError && awsErrorCode(error).code !== 'NoSuchBucket') return;
      if (translated instanceof ConflictError) throw new ConflictError(`delete ${this.describe(key)}: it changed since it was read (ETag ${ifMatch})`);
      throw translated;
    }
    await this.purgeNoncurrentVersions(fullKey);
  }

  async *list(prefix: StateKey): AsyncIterable<StateKey> {
    let token: string | undefined;
    do {
      const page = await this.call(`list ${this.describe(prefix)}`, () =>
        this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix + prefix, ContinuationToken: token })),
      );
      for (const item of page.Contents ?? []) {
        if (item.Key !== undefined) yield parseStateKey(item.Key.slice(this.prefix.length), `list ${this.describe(prefix)}`);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  private async put(key: StateKey, body: Buffer | string, condition: { IfNoneMatch?: string; IfMatch?: string }, conflict: string): Promise<ETag> {
    try {
      const response = await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.prefix + key,
          Body: typeof body === 'string' ? Buffer.from(body) : body,
          ...(holdsClearMatchIds(key) ? { Tagging: `${MATCH_ID_TAG.key}=${MATCH_ID_TAG.value}` } : {}),
          ...condition,
        }),
      );
      if (!response.ETag) throw new LetheError(`write ${this.describe(key)}: S3 returned no ETag`);
      return parseETag(response.ETag, `write ${this.describe(key)}`);
    } catch (error) {
      const translated = translateAwsError(error, `write ${this.describe(key)}`);
      // If-Match on a key that is gone answers 404: that is a conflict too.
      const gone = condition.IfMatch !== undefined && translated instanceof NotFoundError && awsErrorCode(error).code !== 'NoSuchBucket';
      if (translated instanceof ConflictError || gone) throw new ConflictError(`write ${this.describe(key)}: not written, ${gone ? 'it was deleted' : conflict}`);
      throw translated;
    }
  }

  private async purgeNoncurrentVersions(fullKey: string): Promise<void> {
    const stale: string[] = [];
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    do {
      const page = await this.call(`ListObjectVersions ${formatS3Uri(this.bucket, fullKey)}`, () =>
        this.client.send(new ListObjectVersionsCommand({ Bucket: this.bucket, Prefix: fullKey, KeyMarker: keyMarker, VersionIdMarker: versionMarker })),
      );
      for (const item of page.Versions ?? []) {
        // The current version belongs to whoever re-created the key after this delete.
        if (item.Key === fullKey && item.VersionId && item.VersionId !== 'null' && !item.IsLatest) stale.push(item.VersionId);
      }
      for (const marker of page.DeleteMarkers ?? []) {
        if (marker.Key === fullKey && marker.VersionId) stale.push(marker.VersionId);
      }
      const more = page.IsTruncated === true && page.NextKeyMarker !== undefined && page.NextKeyMarker <= fullKey;
      keyMarker = more ? page.NextKeyMarker : undefined;
      versionMarker = more ? page.NextVersionIdMarker : undefined;
    } while (keyMarker !== undefined);
    for (let i = 0; i < stale.length; i += 1000) {
      const batch = stale.slice(i, i + 1000);
      const result = await this.call(`DeleteObjects ${formatS3Uri(this.bucket, fullKey)}`, () =>
        this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch.map((VersionId) => ({ Key: fullKey, VersionId })), Quiet: true } })),
      );
      const first = result.Errors?.[0];
      if (first) throw new LetheError(`delete ${formatS3Uri(this.bucket, fullKey)}: old version ${first.VersionId ?? '?'} not deleted (${first.Code ?? 'error'})`);
    }
  }

  private async call<T>(what: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw translateAwsError(error, what);
    }
  }
}

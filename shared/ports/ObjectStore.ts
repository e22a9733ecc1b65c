import { ETag, ObjectUri } from '../model/identifiers';

/**
 * The lake: objects addressed by URI (s3://bucket/key, or an absolute path for a directory lake).
 * Writes are conditional, so a concurrent writer is never overwritten.
 */
export interface ObjectProps {
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  expires?: string;
  metadata?: Record<string, string>;
  tags?: Record<string, string>;
  storageClass?: string;
  serverSideEncryption?: string;
  sseKmsKeyId?: string;
  bucketKeyEnabled?: boolean;
  /** ACL grants as S3 returns them (grantee id/uri and permission). */
  grants?: Array<{ grantee: string; permission: string }>;
  /** A directory lake keeps the file's permission bits. */
  fileMode?: number;
}

export interface ObjectVersion {
  uri: ObjectUri;
  /** Opaque; changes whenever the object changes. */
  etag: ETag;
  /** Absent for a directory lake or an unversioned bucket. */
  versionId?: string;
}

export interface ObjectHead extends ObjectVersion {
  size: number;
  props: ObjectProps;
}

export interface ObjectListing {
  uri: ObjectUri;
  size: number;
}

/** [offset, offset + length) of a file or object. */
export interface ByteRange {
  offset: number;
  length: number;
}

export interface ObjectStore {
  /** Every object under a prefix (a folder or s3://bucket/prefix/), in key order. */
  list(prefix: string): AsyncIterable<ObjectListing>;
  /** The current version and its properties, or undefined when the object does not exist. */
  head(uri: ObjectUri): Promise<ObjectHead | undefined>;
  /**
   * The ETag `replace(at, fromFile, ...)` will give the object, where the store can tell before the
   * replace: a folder lake renames the file over the object, and a rename keeps the file's size,
   * modification time and inode. Undefined where it cannot (S3; a folder on another filesystem, where
   * replace copies). A writer records it before replacing, so a retry after a kill between the
   * replace and its record knows its own rewrite without a digest of the file.
   */
  versionAfterReplace?(at: ObjectVersion, fromFile: string): Promise<ETag | undefined>;
  /** Streams exactly that version to a local file; ConflictError if it is gone or changed. */
  download(at: ObjectVersion, toFile: string): Promise<void>;
  /**
   * Writes `ranges` of exactly that version at the same offsets of `toFile`, an existing local file
   * of the object's size whose other bytes are left as they are; ConflictError if the version is gone
   * or changed. Only stores where reading part of an object costs less than reading all of it (S3)
   * have it; a directory lake links the whole file instead.
   */
  readRanges?(at: ObjectVersion, ranges: readonly ByteRange[], toFile: string): Promise<void>;
  /**
   * Replaces the object with a local file (which it may move) only if it is still at `at`
   * (If-Match), restoring `props`. `unchanged` are ranges of the file that hold `at`'s bytes at the
   * same offsets (a row-group splice's kept groups): a store may copy them server-side instead.
   * `unread` are ranges of the file never read from `at` (holes left by readRanges), all inside
   * `unchanged`: the store copies them server-side or reads them from `at` before it sends them.
   * Throws ConflictError and changes nothing when the object changed since it was read.
   */
  replace(at: ObjectVersion, fromFile: string, props: ObjectProps, unchanged?: readonly ByteRange[], unread?: readonly ByteRange[]): Promise<ObjectHead>;
  /**
   * InputError naming the object when its old versions could not be deleted after a rewrite (an
   * unversioned or MFA-delete bucket), so a mapper that asks for that fails before anything changes.
   */
  checkVersionsDeletable(uri: ObjectUri): Promise<void>;
  /** Deletes every version and delete marker of exactly this key except `keep`; returns how many. */
  deleteOtherVersions(keep: ObjectVersion): Promise<number>;
  /**
   * Deletes every version and delete marker of exactly this key, which must have no current version
   * (the object was deleted and only older versions remain); returns how many. ConflictError, and
   * nothing deleted, when the object exists again.
   */
  deleteAllVersions(uri: ObjectUri): Promise<number>;
}

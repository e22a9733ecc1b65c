import { ETag, StateKey } from '../model/identifiers';

/**
 * Where lethe keeps its own records: queue batches, jobs, events, results, manifests, reports, the
 * lock. Keys are relative paths like `jobs/<id>/job.json`. Writers never overwrite each other:
 * `create` fails if the key exists, `replace` fails if it changed; both throw ConflictError.
 */
export interface StoredValue {
  body: Buffer;
  etag: ETag;
}

export interface StateStore {
  read(key: StateKey): Promise<StoredValue | undefined>;
  create(key: StateKey, body: Buffer | string): Promise<ETag>;
  replace(key: StateKey, body: Buffer | string, ifMatch: ETag): Promise<ETag>;
  /** Deletes a key; with `ifMatch`, only if it is still that version. A missing key is not an error. */
  delete(key: StateKey, ifMatch?: ETag): Promise<void>;
  /** Keys under a prefix, in lexical order. */
  list(prefix: StateKey): AsyncIterable<StateKey>;
  /** Where a key is, for people: a file path or an s3:// URI. */
  describe(key: StateKey): string;
}

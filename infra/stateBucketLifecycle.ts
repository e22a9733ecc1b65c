import { MATCH_ID_TAG, STATE_PREFIXES } from './resourceNames';

export interface LifecycleRule {
  id: string;
  status: 'Enabled';
  filter: { prefix?: string; and?: { prefix: string; tags: Record<string, string> } };
  expiration?: { days: number };
  noncurrentVersionExpiration?: { noncurrentDays: number };
  abortIncompleteMultipartUpload?: { daysAfterInitiation: number };
}

/** Days a manifest may outlive a job that never cleaned up (approval can wait this long). */
export const MANIFEST_BACKSTOP_DAYS = 7;
/** Days an overwritten or deleted state object is kept, for recovery. */
export const NONCURRENT_DAYS = 7;

/**
 * Lifecycle of the state bucket. The bucket is versioned, so a deleted manifest or queue batch would
 * keep its clear match IDs as a noncurrent version: those prefixes drop noncurrent versions after a
 * day. Queue batches are never expired while current: they are requests nobody has served yet.
 */
export function stateBucketLifecycleRules(retentionDays: number): LifecycleRule[] {
  return [
    {
      id: 'athena-results',
      status: 'Enabled',
      filter: { prefix: STATE_PREFIXES.athenaResults },
      expiration: { days: 1 },
      noncurrentVersionExpiration: { noncurrentDays: 1 },
    },
    { id: 'temp-files', status: 'Enabled', filter: { prefix: STATE_PREFIXES.tmp }, expiration: { days: 1 }, noncurrentVersionExpiration: { noncurrentDays: 1 } },
    // Who asked for which run, kept as long as the jobs they started.
    { id: 'job-requests', status: 'Enabled', filter: { prefix: STATE_PREFIXES.requests }, expiration: { days: retentionDays }, noncurrentVersionExpiration: { noncurrentDays: 1 } },
    { id: 'served-queue-batches', status: 'Enabled', filter: { prefix: STATE_PREFIXES.queue }, noncurrentVersionExpiration: { noncurrentDays: 1 } },
    {
      id: 'manifests',
      status: 'Enabled',
      filter: { and: { prefix: STATE_PREFIXES.jobs, tags: { [MATCH_ID_TAG.key]: MATCH_ID_TAG.value } } },
      expiration: { days: Math.min(MANIFEST_BACKSTOP_DAYS, retentionDays) },
      noncurrentVersionExpiration: { noncurrentDays: 1 },
    },
    {
      id: 'job-details',
      status: 'Enabled',
      filter: { prefix: STATE_PREFIXES.jobs },
      expiration: { days: retentionDays },
      noncurrentVersionExpiration: { noncurrentDays: 1 },
    },
    {
      id: 'everything',
      status: 'Enabled',
      filter: { prefix: '' },
      noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_DAYS },
      abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
    },
  ];
}

/**
 * The tag on state objects that hold clear match IDs beyond the queue: job manifests. Cleanup
 * deletes them; a lifecycle rule on this tag expires any a crashed job left behind.
 */
export const MATCH_ID_TAG = { key: 'lethe-content', value: 'match-ids' } as const;

export function holdsClearMatchIds(key: string): boolean {
  return /^jobs\/[^/]+\/manifests\//.test(key);
}

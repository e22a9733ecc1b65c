import { MatchAccount } from '../records/jobPlan';
import { HashedQueueItem, MapperManifest } from './buildManifest';

/**
 * Accounts for every queue item: the mappers and columns its match was applied to, or why it was
 * not, at each mapper it targets (every mapper of the job unless it names some). A mapper it names
 * that the job does not have counts as not applied. Items that applied nowhere come first: they are
 * what the job could not do.
 */
export function accountMatches(items: readonly HashedQueueItem[], manifests: ReadonlyMap<string, MapperManifest>): MatchAccount[] {
  const outcomes = new Map<string, Map<string, MapperManifest['outcomes'][number]>>();
  for (const [mapperId, manifest] of manifests) {
    for (const outcome of manifest.outcomes) {
      const byMapper = outcomes.get(outcome.item) ?? new Map<string, MapperManifest['outcomes'][number]>();
      byMapper.set(mapperId, outcome);
      outcomes.set(outcome.item, byMapper);
    }
  }
  const accounts = items.map(({ item, matchHash }): MatchAccount => {
    const account: MatchAccount = { item: item.id, matchHash, appliedTo: [], notApplied: [] };
    for (const mapperId of item.mappers ?? [...manifests.keys()]) {
      const outcome = outcomes.get(item.id)?.get(mapperId);
      if (!outcome) account.notApplied.push({ mapperId, reason: `no data mapper "${mapperId}" in this job` });
      else if ('columns' in outcome) account.appliedTo.push({ mapperId, columns: outcome.columns });
      else account.notApplied.push({ mapperId, reason: outcome.reason });
    }
    return account;
  });
  return [...accounts.filter((a) => a.appliedTo.length === 0), ...accounts.filter((a) => a.appliedTo.length > 0)];
}

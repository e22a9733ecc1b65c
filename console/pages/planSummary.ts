import { Job } from '../../shared/model/job';
import { StateStore } from '../../shared/ports/StateStore';
import { JobPlan, SkippedMatch } from '../../shared/records/jobPlan';
import { ListedMatchAccounts, listMatchAccounts } from '../../shared/records/matchAccounts';
import { html, SafeHtml } from '../html';
import { formatBytes, table } from './components';

const MAX_OBJECTS_SHOWN = 200;
/** Match accounts and skips a page lists; the plan counts them all. */
export const MAX_MATCHES_SHOWN = 1000;

/** A job's match accounts and skips as a page lists them (one pass over the record the find wrote, at most). */
export function readListedMatches(state: StateStore, job: Job, plan: JobPlan): Promise<ListedMatchAccounts> {
  return listMatchAccounts(state, job.id, new Set(job.mappers.map((m) => m.id)), MAX_MATCHES_SHOWN, plan);
}

/**
 * The purge plan as an approver reads it: per mapper, then the objects that would be rewritten, then
 * the skips listed (the plan counts them; their accounts are a record of their own).
 */
export function planSummary(plan: JobPlan, skipped: readonly SkippedMatch[]): SafeHtml {
  const shown = plan.objects.slice(0, MAX_OBJECTS_SHOWN);
  return html`<section aria-labelledby="plan-h" class="plan"><h2 id="plan-h">Purge plan</h2>
<p id="plan-totals">${plan.objects.length} ${plan.objects.length === 1 ? 'object' : 'objects'} to rewrite, for ${plan.matchIds} match IDs; ${plan.matchesSkipped} skipped for a mapper; ${formatBytes(plan.bytesScanned)} scanned.</p>
${table('Per data mapper', ['Mapper', 'Match IDs', 'Typed matches', 'Queries', 'Objects'], plan.mappers.map((m) => [html`${m.mapperId}`, html`${m.matches}`, html`${m.manifestRows}`, html`${m.queries}`, html`${m.objects}`]), { id: 'plan-mappers' })}
<details${plan.objects.length <= 20 ? html` open` : ''}><summary>Objects (${plan.objects.length})</summary>
<ul class="objects">${shown.map((o) => html`<li><span class="mapper">${o.mapperIds.join(', ')}</span> <code>${o.object}</code></li>`)}</ul>
${plan.objects.length > shown.length ? html`<p>… and ${plan.objects.length - shown.length} more (see plan.json).</p>` : ''}</details>
${skipped.length > 0 ? html`<details><summary>Skipped for a mapper (${plan.matchesSkipped})</summary><ul>${skipped.map((s) => html`<li><code>${s.matchHash.slice(0, 16)}</code> · ${s.mapperId}: ${s.reason}</li>`)}</ul>${plan.matchesSkipped > skipped.length ? html`<p>… and ${plan.matchesSkipped - skipped.length} more in the job's match accounts.</p>` : ''}</details>` : ''}
</section>`;
}

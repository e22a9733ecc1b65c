import { JobPlan } from '../../shared/records/jobPlan';
import { html, SafeHtml } from '../html';
import { formatBytes, table } from './components';

const MAX_OBJECTS_SHOWN = 200;

/** The purge plan as an approver reads it: per mapper, then the objects that would be rewritten. */
export function planSummary(plan: JobPlan): SafeHtml {
  const shown = plan.objects.slice(0, MAX_OBJECTS_SHOWN);
  return html`<section aria-labelledby="plan-h" class="plan"><h2 id="plan-h">Purge plan</h2>
<p id="plan-totals">${plan.objects.length} ${plan.objects.length === 1 ? 'object' : 'objects'} to rewrite, for ${plan.matchHashes.length} match IDs; ${plan.skipped.length} skipped for a mapper; ${formatBytes(plan.bytesScanned)} scanned.</p>
${table('Per data mapper', ['Mapper', 'Match IDs', 'Typed matches', 'Queries', 'Objects'], plan.mappers.map((m) => [html`${m.mapperId}`, html`${m.matches}`, html`${m.manifestRows}`, html`${m.queries}`, html`${m.objects}`]), { id: 'plan-mappers' })}
<details${plan.objects.length <= 20 ? html` open` : ''}><summary>Objects (${plan.objects.length})</summary>
<ul class="objects">${shown.map((o) => html`<li><span class="mapper">${o.mapperIds.join(', ')}</span> <code>${o.object}</code></li>`)}</ul>
${plan.objects.length > shown.length ? html`<p>… and ${plan.objects.length - shown.length} more (see plan.json).</p>` : ''}</details>
${plan.skipped.length > 0 ? html`<details><summary>Skipped for a mapper (${plan.skipped.length})</summary><ul>${plan.skipped.map((s) => html`<li><code>${s.matchHash.slice(0, 16)}</code> · ${s.mapperId}: ${s.reason}</li>`)}</ul></details>` : ''}
</section>`;
}

import { listObjectResults } from '../../shared/records/objectResults';
import { JobPlan, readJobPlan } from '../../shared/records/jobPlan';
import { ListedMatchAccounts } from '../../shared/records/matchAccounts';
import { shortHash } from '../../shared/privacy/hmacMatch';
import { describeNotApplied } from '../../shared/report/deletionReport';
import { reportKey } from '../../shared/records/stateKeys';
import { listJobEvents } from '../../shared/records/jobEvents';
import { readJob } from '../../shared/records/jobRecord';
import { NotFoundError } from '../../shared/model/errors';
import { parseJobId } from '../../shared/model/identifiers';
import { Job, JobCounters, isTerminal } from '../../shared/model/job';
import { JOB_EVENT_TYPES, JobEvent, JobEventType } from '../../shared/model/jobEvent';
import { ObjectResult } from '../../shared/model/objectResult';
import { Route, RouteContext, page } from '../consoleRoute';
import { html, SafeHtml } from '../html';
import { actionButton, formatBytes, formatTime, statusBadge, table } from '../pages/components';
import { MAX_MATCHES_SHOWN, planSummary, readListedMatches } from '../pages/planSummary';
import { JOB_PATH } from './jobsRoutes';

const MAX_ROWS_SHOWN = 1000;

const COUNTERS: Array<[keyof JobCounters, string]> = [
  ['matchIds', 'Match IDs'],
  ['matchesSkipped', 'Skipped for a mapper'],
  ['matchesUnapplied', 'Applied nowhere'],
  ['queries', 'Find queries'],
  ['objectsFound', 'Objects found'],
  ['objectsUpdated', 'Objects rewritten'],
  ['objectsUnchanged', 'Objects unchanged'],
  ['objectsMissing', 'Objects missing'],
  ['objectsFailed', 'Objects failed'],
  ['rowsDeleted', 'Rows deleted'],
  ['versionsDeleted', 'Old versions deleted'],
  ['matchesLeft', 'Matches left after verify'],
];

export const jobDetailRoute: Route = {
  method: 'GET',
  path: JOB_PATH(),
  needsState: true,
  handle: async ({ backend, driver, url, params, csrfToken }: RouteContext) => {
    const state = backend.ports.state;
    const { job } = await readJob(state, parseJobId(params[0]));
    const [events, results, plan, report] = await Promise.all([
      listJobEvents(state, job.id),
      listObjectResults(state, job.id),
      readJobPlan(state, job.id),
      state.read(reportKey(job.id, 'json')),
    ]);
    const listed = plan ? await readListedMatches(state, job, plan) : { accounts: [], skipped: [] };
    const typeParam = url.searchParams.get('type') ?? '';
    const filter = (JOB_EVENT_TYPES as readonly string[]).includes(typeParam) ? (typeParam as JobEventType) : undefined;
    const drive = driver.status(job.id);
    const running = !isTerminal(job.status);
    return page(`Job ${job.id}`, 'jobs', html`<h1>Job <code>${job.id}</code></h1>
<section aria-labelledby="status-h" class="card status-card"${running ? html` data-live-job="${job.id}" data-status="${job.status}"` : ''}>
<h2 id="status-h">Status</h2>
<p class="phase">Phase: ${statusBadge(job.status, html`id="job-status" data-field="status"`)}${job.cancelRequested && running ? html` <span class="badge neutral">cancel requested</span>` : ''}</p>
<p>Started ${formatTime(job.createdAt)} by ${job.createdBy}${job.finishedAt ? html`; finished ${formatTime(job.finishedAt)}` : ''}. Bytes scanned: ${formatBytes(job.counters.bytesScanned)}.</p>
${job.status === 'FORGETTING' ? html`<p><label for="forget-progress">Objects done</label> <progress id="forget-progress" data-field="forget" max="${drive?.forget?.total ?? job.counters.objectsFound}" value="${drive?.forget ? drive.forget.total - drive.forget.remaining : 0}"></progress></p>` : ''}
<dl class="counters">${COUNTERS.map(([key, label]) => html`<div><dt>${label}</dt><dd data-counter="${key}" id="counter-${key}">${job.counters[key]}</dd></div>`)}</dl>
${drive?.error ? html`<p class="flash error">The console stopped driving this job: ${drive.error}</p>` : ''}
${actions(job, csrfToken)}
</section>
${plan ? unappliedMatches(plan, listed) : ''}
${failures(job, results)}
${report ? html`<section aria-labelledby="report-h" class="card"><h2 id="report-h">Deletion report</h2>
<p><a href="/jobs/${job.id}/report.html" id="report-view">View the report</a> · <a href="/jobs/${job.id}/report.html?download=1" download>Download HTML</a> · <a href="/jobs/${job.id}/report.json" download>Download JSON</a></p></section>` : ''}
${plan ? planSummary(plan, listed.skipped) : ''}
<section aria-labelledby="objects-h"><h2 id="objects-h">Objects (${results.length})</h2>
${table('Per-object results', ['Object', 'Mapper', 'Outcome', 'Rows before', 'Rows deleted', 'Old versions deleted', 'Attempts', 'Time', 'Notes'], results.slice(0, MAX_ROWS_SHOWN).map(objectRow), { id: 'objects-table', empty: running ? 'No object has been processed yet.' : 'No object was processed.' })}
</section>
${eventsSection(job, events, filter)}`);
  },
};

/** Matches that applied to no column of any mapper: still in the queue, waiting for someone to act. */
function unappliedMatches(plan: JobPlan, listed: ListedMatchAccounts): SafeHtml {
  // The accounts list those that applied nowhere first.
  const unapplied = listed.accounts.filter((m) => m.appliedTo.length === 0);
  if (plan.matchesUnapplied === 0) return html``;
  return html`<section aria-labelledby="unapplied-h" class="card" id="unapplied"><h2 id="unapplied-h">Matches applied nowhere (${plan.matchesUnapplied})</h2>
<p>These match IDs fit no column of any data mapper they target, so nothing was erased for them. They stay in the <a href="/queue">deletion queue</a>: fix the ID or the data mapper and run a job again, or remove them from the queue.</p>
${table('Matches applied nowhere (HMAC-SHA256 short hashes)', ['Match hash', 'Queue item', 'Why (per mapper)'], unapplied.slice(0, MAX_MATCHES_SHOWN).map((m) => [html`<code class="hash">${shortHash(m.matchHash)}</code>`, html`<code>${m.item}</code>`, html`${describeNotApplied(m)}`]), { id: 'unapplied-table' })}
</section>`;
}

function actions(job: Job, csrfToken: string): SafeHtml {
  if (isTerminal(job.status)) return html``;
  return html`<p class="actions">${job.status === 'AWAITING_APPROVAL' ? html`${actionButton(`/jobs/${job.id}/approve`, 'Approve…', csrfToken)} ${actionButton(`/jobs/${job.id}/reject`, 'Reject…', csrfToken, { danger: true })} ` : ''}${job.cancelRequested ? '' : actionButton(`/jobs/${job.id}/cancel`, 'Cancel job…', csrfToken, { danger: true })}</p>`;
}

function failures(job: Job, results: ObjectResult[]): SafeHtml {
  const failed = results.filter((r) => r.outcome === 'failed');
  if (!job.failure && failed.length === 0) return html``;
  return html`<section aria-labelledby="failures-h" class="card failures"><h2 id="failures-h">Failures</h2>
${job.failure ? html`<p class="flash error" id="job-failure">${job.failure}</p>` : ''}
${table('Objects that failed', ['Object', 'Mapper', 'Attempts', 'Error'], failed.map((r) => [html`<code>${r.object}</code>`, html`${r.mapperIds.join(', ')}`, html`${r.attempts}`, html`${r.error ?? ''}`]), { id: 'failures-table', empty: '' })}</section>`;
}

function objectRow(r: ObjectResult): SafeHtml[] {
  return [
    html`<code>${r.object}</code>`,
    html`${r.mapperIds.join(', ')}`,
    html`<span class="outcome ${r.outcome}">${r.outcome}</span>`,
    html`${r.rowsBefore ?? ''}`,
    html`${r.rowsDeleted ?? ''}`,
    html`${r.versionsDeleted ?? ''}`,
    html`${r.attempts}`,
    html`${(r.durationMs / 1000).toFixed(1)} s`,
    html`${r.error ?? (r.physicalChanges ?? []).join('; ')}`,
  ];
}

function eventsSection(job: Job, events: JobEvent[], filter: JobEventType | undefined): SafeHtml {
  const present = JOB_EVENT_TYPES.filter((t) => events.some((e) => e.type === t));
  const shown = events.filter((e) => !filter || e.type === filter);
  const tail = shown.slice(-MAX_ROWS_SHOWN);
  return html`<section aria-labelledby="events-h"><h2 id="events-h">Events (${shown.length}${filter ? html` of ${events.length}` : ''})</h2>
<form method="get" action="/jobs/${job.id}#events-h" class="filter"><label for="event-type">Type</label>
<select id="event-type" name="type"><option value="">All types</option>${present.map((t) => html`<option value="${t}"${t === filter ? html` selected` : ''}>${t}</option>`)}</select>
<button type="submit">Filter</button></form>
${shown.length > tail.length ? html`<p>Showing the last ${tail.length}.</p>` : ''}
${table('Job events, oldest first', ['Time', 'Type', 'Details'], tail.map((e) => [html`${formatTime(e.at)}`, html`${e.type}`, html`<code>${JSON.stringify(e.data)}</code>`]), { id: 'events-table', empty: 'No events of this type.' })}</section>`;
}

/** What the page polls while the job runs: the record's status and counters, plus forget progress. */
export const jobStatusRoute: Route = {
  method: 'GET',
  path: JOB_PATH('/status\\.json'),
  needsState: true,
  handle: async ({ backend, driver, params }: RouteContext) => {
    const { job } = await readJob(backend.ports.state, parseJobId(params[0]));
    const drive = driver.status(job.id);
    const body = { id: job.id, status: job.status, terminal: isTerminal(job.status), cancelRequested: job.cancelRequested === true, counters: job.counters, forget: drive?.forget ?? null, driving: drive !== undefined && !drive.done };
    return { kind: 'file', contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) };
  },
};

export const reportRoute: Route = {
  method: 'GET',
  path: JOB_PATH('/report\\.(html|json)'),
  needsState: true,
  handle: async ({ backend, params, url }: RouteContext) => {
    const [jobId, format] = [parseJobId(params[0]), params[1] === 'json' ? 'json' : 'html'] as const;
    await readJob(backend.ports.state, jobId);
    const stored = await backend.ports.state.read(reportKey(jobId, format));
    if (!stored) throw new NotFoundError(`job ${jobId} has no report yet (it is written when the job ends)`, { jobId });
    const download = format === 'json' || url.searchParams.get('download') === '1';
    return {
      kind: 'file',
      contentType: format === 'json' ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8',
      body: stored.body,
      headers: {
        ...(download ? { 'content-disposition': `attachment; filename="lethe-report-${jobId}.${format}"` } : {}),
        // The report is self-contained with an inline style sheet and no scripts.
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      },
    };
  },
};

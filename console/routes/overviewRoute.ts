import { isTerminal, Job } from '../../shared/model/job';
import { readJobLock } from '../../shared/records/jobLock';
import { listJobIds, readJob } from '../../shared/records/jobRecord';
import { listQueue } from '../../shared/queue/deletionQueue';
import { Route, RouteContext, page } from '../consoleRoute';
import { html, SafeHtml } from '../html';
import { formatDuration, formatTime, statusBadge } from '../pages/components';

/** GDPR Art. 12(3): a request is answered "within one month of receipt". */
export function deletionDeadline(receivedAt: Date): Date {
  const due = new Date(receivedAt);
  due.setUTCMonth(due.getUTCMonth() + 1);
  // 31 January + one month is 28/29 February, not 2/3 March.
  if (due.getUTCDate() !== receivedAt.getUTCDate()) due.setUTCDate(0);
  return due;
}

export const overviewRoute: Route = {
  method: 'GET',
  path: /^\/$/,
  needsState: true,
  handle: async ({ backend }: RouteContext) => {
    const state = backend.ports.state;
    const { items, total } = await listQueue(state, { offset: 0, limit: 1 });
    const [lastId] = await listJobIds(state);
    const last = lastId ? (await readJob(state, lastId)).job : undefined;
    const lock = await readJobLock(state);
    const active = lock ? (await readJob(state, lock.lock.jobId).catch(() => undefined))?.job : undefined;
    const running = active && !isTerminal(active.status) ? active : undefined;
    return page('Overview', 'overview', html`<h1>Overview</h1>
<div class="cards">
<section class="card" aria-labelledby="queue-h"><h2 id="queue-h">Deletion queue</h2>
<p class="big" id="queue-size">${total} ${total === 1 ? 'request' : 'requests'} waiting</p>
${items[0] ? deadlineLine(new Date(items[0].createdAt)) : html`<p>No request is waiting.</p>`}
<p><a href="/queue">Open the queue</a></p></section>
<section class="card" aria-labelledby="running-h"${running ? html` data-live-job="${running.id}" data-status="${running.status}"` : ''}><h2 id="running-h">Running job</h2>
${running ? jobLine(running) : html`<p id="running-none">No job is running.</p>`}</section>
<section class="card" aria-labelledby="last-h"><h2 id="last-h">Last job</h2>
${last ? jobLine(last) : html`<p>No job has run yet. <a href="/jobs">Start one</a> once the queue holds requests.</p>`}</section>
</div>`);
  },
};

function deadlineLine(receivedAt: Date): SafeHtml {
  const now = Date.now();
  const due = deletionDeadline(receivedAt);
  const left = due.getTime() - now;
  const age = formatDuration(now - receivedAt.getTime());
  const dueText = formatTime(due.toISOString());
  if (left < 0) return html`<p class="deadline bad" id="oldest">Oldest request: ${age} old, <strong>overdue</strong> by ${formatDuration(-left)} (one-month deadline was ${dueText}).</p>`;
  const urgent = left < 7 * 24 * 3600_000;
  return html`<p class="deadline ${urgent ? 'warn' : 'ok'}" id="oldest">Oldest request: ${age} old; ${formatDuration(left)} left before the one-month deadline (${dueText}).</p>`;
}

function jobLine(job: Job): SafeHtml {
  return html`<p><a href="/jobs/${job.id}">${job.id}</a> ${statusBadge(job.status)}</p>
<p>Started ${formatTime(job.createdAt)} by ${job.createdBy}${job.finishedAt ? html`, finished ${formatTime(job.finishedAt)}` : ''}; ${job.counters.rowsDeleted} rows deleted from ${job.counters.objectsUpdated} objects.</p>`;
}

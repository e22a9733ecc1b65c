import { adoptJob, approveJob, cancelJob, findOrphanedJob, rejectJob } from '../../shared/job/jobCommands';
import { readJobPlan } from '../../shared/records/jobPlan';
import { listJobIds, readJob } from '../../shared/records/jobRecord';
import { startJob } from '../../shared/job/startJob';
import { InputError } from '../../shared/model/errors';
import { parseJobId } from '../../shared/model/identifiers';
import { Job, isTerminal } from '../../shared/model/job';
import { listQueue } from '../../shared/queue/deletionQueue';
import { Route, RouteContext, page, redirect } from '../consoleRoute';
import { html, SafeHtml } from '../html';
import { actionButton, formatTime, statusBadge, table } from '../pages/components';
import { confirmPage } from '../pages/confirmPage';
import { planSummary, readListedMatches } from '../pages/planSummary';

const JOB_ID = '([0-9]{8}T[0-9]{6}Z-[a-z0-9]{6})';
export const JOB_PATH = (suffix = '') => new RegExp(`^/jobs/${JOB_ID}${suffix}$`);
const MAX_JOBS_SHOWN = 200;

export const jobsPageRoute: Route = {
  method: 'GET',
  path: /^\/jobs$/,
  needsState: true,
  handle: async ({ backend, csrfToken }: RouteContext) => {
    const state = backend.ports.state;
    const ids = (await listJobIds(state)).slice(0, MAX_JOBS_SHOWN);
    const jobs = await Promise.all(ids.map(async (id) => (await readJob(state, id)).job));
    const { total } = await listQueue(state, { offset: 0, limit: 0 });
    const awaiting = jobs.filter((j) => j.status === 'AWAITING_APPROVAL');
    const running = jobs.find((j) => !isTerminal(j.status));
    const awaitingSections = await Promise.all(awaiting.map(async (job) => {
      const plan = await readJobPlan(state, job.id);
      return html`<section class="card awaiting" aria-labelledby="await-${job.id}"><h2 id="await-${job.id}">Job <a href="/jobs/${job.id}">${job.id}</a> awaits approval</h2>
${plan ? planSummary(plan, (await readListedMatches(state, job, plan)).skipped) : html`<p>No purge plan was written.</p>`}
<p>${actionButton(`/jobs/${job.id}/approve`, 'Approve…', csrfToken)} ${actionButton(`/jobs/${job.id}/reject`, 'Reject…', csrfToken, { danger: true })}</p></section>`;
    }));
    const rows = jobs.map((j) => [
      html`<a href="/jobs/${j.id}">${j.id}</a>`,
      statusBadge(j.status),
      html`${formatTime(j.createdAt)}`,
      html`${formatTime(j.finishedAt)}`,
      html`${j.counters.matchIds}`,
      html`${j.counters.objectsUpdated} / ${j.counters.objectsFound}`,
      html`${j.counters.rowsDeleted}`,
    ]);
    return page('Jobs', 'jobs', html`<h1>Jobs</h1>
<section class="card" aria-labelledby="start-h"${running ? html` data-live-job="${running.id}" data-status="${running.status}"` : ''}><h2 id="start-h">Start a deletion job</h2>
${running
  ? html`<p>Job <a href="/jobs/${running.id}">${running.id}</a> is ${running.status}: one job at a time.</p>`
  : total === 0
    ? html`<p>The deletion queue is empty: <a href="/queue">add match IDs</a> first.</p>`
    : html`<p>A job takes the ${total} ${total === 1 ? 'request' : 'requests'} in the queue, finds the objects holding them${backend.config.settings.requireApproval ? ', waits for approval,' : ''} and rewrites those objects without the matching rows.</p>
${actionButton('/jobs/start', 'Start job…', csrfToken)}`}
</section>
${awaitingSections}
${table('All jobs, newest first', ['Job', 'Status', 'Started', 'Finished', 'Match IDs', 'Objects rewritten / found', 'Rows deleted'], rows, { id: 'jobs-table', empty: 'No job has run yet.' })}`);
  },
};

export const startJobRoute: Route = {
  method: 'POST',
  path: /^\/jobs\/start$/,
  needsState: true,
  handle: async ({ backend, driver, form, csrfToken, user }: RouteContext) => {
    const { ports, config } = backend;
    const orphan = await findOrphanedJob(ports);
    if (form.get('confirm') !== 'yes') {
      const { total } = await listQueue(ports.state, { offset: 0, limit: 0 });
      return confirmPage({
        title: orphan ? 'Resume the stopped job?' : 'Start a deletion job?',
        nav: 'jobs',
        action: '/jobs/start',
        csrfToken,
        question: orphan
          ? html`<p>Job <code>${orphan.id}</code> is ${orphan.status} but the process that drove it has stopped. Resume it here?</p>`
          : html`<p>Start a job over the ${total} ${total === 1 ? 'request' : 'requests'} in the deletion queue and ${config.dataMappers.length} data mappers?</p>
<p>${config.settings.requireApproval ? 'It will stop after the find and wait for your approval before any object changes.' : html`<strong>Approval is off:</strong> matching rows are deleted from the lake as soon as they are found.`}</p>`,
        confirmLabel: orphan ? 'Yes, resume it' : 'Yes, start the job',
        cancelHref: '/jobs',
      });
    }
    let job: Job;
    if (orphan) {
      await adoptJob(ports, orphan.id);
      job = orphan;
    } else {
      job = await startJob(ports.state, config, user);
    }
    driver.drive(job.id, user);
    return redirect(`/jobs/${job.id}`, { kind: 'ok', text: orphan ? `Resumed job ${job.id}.` : `Started job ${job.id}.` });
  },
};

async function awaitingJob(context: RouteContext): Promise<Job> {
  const jobId = parseJobId(context.params[0]);
  const { job } = await readJob(context.backend.ports.state, jobId);
  if (job.status !== 'AWAITING_APPROVAL') throw new InputError(`job ${jobId} is ${job.status}, not AWAITING_APPROVAL`, { jobId });
  return job;
}

export const approveJobRoute: Route = {
  method: 'POST',
  path: JOB_PATH('/approve'),
  needsState: true,
  handle: async (context: RouteContext) => {
    const job = await awaitingJob(context);
    const { backend, driver, form, csrfToken, user } = context;
    if (form.get('confirm') !== 'yes') {
      const plan = await readJobPlan(backend.ports.state, job.id);
      return confirmPage({
        title: `Approve job ${job.id}?`,
        nav: 'jobs',
        action: `/jobs/${job.id}/approve`,
        csrfToken,
        question: html`<p>Approving rewrites every object below without the matching rows${job.mappers.some((m) => m.deleteOldVersions) ? ' and deletes their older versions' : ''}. This cannot be undone.</p>${plan ? planSummary(plan, (await readListedMatches(backend.ports.state, job, plan)).skipped) : ''}`,
        confirmLabel: 'Yes, approve and delete the rows',
        cancelHref: `/jobs/${job.id}`,
      });
    }
    await approveJob(backend.ports, job.id, user);
    driver.drive(job.id, user);
    return redirect(`/jobs/${job.id}`, { kind: 'ok', text: `Approved job ${job.id}: rewriting objects.` });
  },
};

export const rejectJobRoute: Route = {
  method: 'POST',
  path: JOB_PATH('/reject'),
  needsState: true,
  handle: async (context: RouteContext) => {
    const job = await awaitingJob(context);
    const { backend, form, csrfToken, user } = context;
    if (form.get('confirm') !== 'yes') {
      return confirmPage({
        title: `Reject job ${job.id}?`,
        nav: 'jobs',
        action: `/jobs/${job.id}/reject`,
        csrfToken,
        question: html`<p>Rejecting ends the job REJECTED. The lake and the queue stay as they are; the requests can go into a later job.</p>`,
        confirmLabel: 'Yes, reject the job',
        cancelHref: `/jobs/${job.id}`,
      });
    }
    await rejectJob(backend.ports, job.id, user);
    return redirect(`/jobs/${job.id}`, { kind: 'ok', text: `Rejected job ${job.id}: nothing changed.` });
  },
};

export const cancelJobRoute: Route = {
  method: 'POST',
  path: JOB_PATH('/cancel'),
  needsState: true,
  handle: async ({ backend, form, csrfToken, user, params }: RouteContext) => {
    const jobId = parseJobId(params[0]);
    const { job } = await readJob(backend.ports.state, jobId);
    if (isTerminal(job.status)) throw new InputError(`job ${jobId} has already ended (${job.status})`, { jobId });
    if (form.get('confirm') !== 'yes') {
      return confirmPage({
        title: `Cancel job ${jobId}?`,
        nav: 'jobs',
        action: `/jobs/${jobId}/cancel`,
        csrfToken,
        question: cancelQuestion(job),
        confirmLabel: 'Yes, cancel the job',
        cancelHref: `/jobs/${jobId}`,
      });
    }
    const after = await cancelJob(backend.ports, jobId, user);
    return redirect(`/jobs/${jobId}`, { kind: 'ok', text: after.status === 'CANCELLED' ? `Cancelled job ${jobId}.` : `Cancel requested: job ${jobId} stops at its next step.` });
  },
};

function cancelQuestion(job: Job): SafeHtml {
  return html`<p>The job is ${job.status}. Cancelling stops it at its next step; objects already rewritten stay rewritten, and the queue keeps its requests.</p>`;
}

import { JobStatus, isTerminal } from '../../shared/model/job';
import { SafeHtml, html } from '../html';

/** Hidden CSRF field for every form that changes something. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

export function statusClass(status: JobStatus): string {
  if (status === 'COMPLETED') return 'ok';
  // Both wait on a person: an approval, or a match ID or mapper to fix.
  if (status === 'AWAITING_APPROVAL' || status === 'UNAPPLIED_MATCHES') return 'wait';
  if (status === 'REJECTED' || status === 'CANCELLED') return 'neutral';
  return isTerminal(status) ? 'bad' : 'run';
}

export function statusBadge(status: JobStatus, attrs: SafeHtml = html``): SafeHtml {
  return html`<span class="badge ${statusClass(status)}" ${attrs}>${status}</span>`;
}

/** "3 days", "5 hours", "2 minutes": how people read an age. */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return plural(hours, 'hour');
  return plural(Math.floor(hours / 24), 'day');
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export function formatTime(iso: string | undefined): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
}

/** A table with a caption and scoped header cells; rows are already-escaped cells. */
export function table(caption: string, headers: string[], rows: SafeHtml[][], options: { id?: string; empty?: string } = {}): SafeHtml {
  if (rows.length === 0) return html`<p class="empty">${options.empty ?? 'Nothing here yet.'}</p>`;
  return html`<table${options.id ? html` id="${options.id}"` : ''}><caption>${caption}</caption>
<thead><tr>${headers.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${rows.map((cells) => html`<tr>${cells.map((c) => html`<td>${c}</td>`)}</tr>`)}</tbody></table>`;
}

/** A POST button in its own form; `confirm` forms go to the confirm step first. */
export function actionButton(action: string, label: string, csrfToken: string, options: { danger?: boolean; hidden?: Record<string, string> } = {}): SafeHtml {
  return html`<form method="post" action="${action}" class="inline">${csrfField(csrfToken)}${Object.entries(options.hidden ?? {}).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}<button type="submit"${options.danger ? html` class="danger"` : ''}>${label}</button></form>`;
}

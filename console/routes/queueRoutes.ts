import { DataMapper } from '../../shared/model/dataMapper';
import { QueueItem } from '../../shared/model/match';
import { hmacMatch, shortHash } from '../../shared/privacy/hmacMatch';
import { enqueueMatches, listQueue, removeQueueItems } from '../../shared/queue/deletionQueue';
import { parseCompositeEnqueueForm, parsePage, parseQueueItemIds, parseSimpleEnqueueForm } from '../consoleForms';
import { Route, RouteContext, page, redirect } from '../consoleRoute';
import { html, SafeHtml } from '../html';
import { csrfField, formatTime, table } from '../pages/components';
import { confirmPage } from '../pages/confirmPage';

const PAGE_SIZE = 50;
const COMPOSITE_ROWS = 4;

/** The queue, a page at a time: each item by its HMAC short hash, never the ID itself. */
export const queuePageRoute: Route = {
  method: 'GET',
  path: /^\/queue$/,
  needsState: true,
  handle: async ({ backend, url, csrfToken }: RouteContext) => {
    const paging = parsePage(url, PAGE_SIZE);
    const { items, total } = await listQueue(backend.ports.state, paging);
    const key = await backend.hmacKey();
    const rows = items.map((item) => itemRow(item, key));
    const first = total === 0 ? 0 : paging.offset + 1;
    const lastShown = paging.offset + items.length;
    const mappers = backend.config.dataMappers;
    return page('Deletion queue', 'queue', html`<h1>Deletion queue</h1>
<p id="queue-count">${total} ${total === 1 ? 'item' : 'items'} in the queue${total > 0 ? html`; showing ${first}–${lastShown}` : ''}.</p>
<form method="post" action="/queue/remove" id="queue-list">${csrfField(csrfToken)}
${table('Queued match IDs (shown as HMAC-SHA256 short hashes)', ['Remove', 'Item', 'Match hash', 'Kind', 'Mappers', 'Received'], rows, { id: 'queue-table', empty: 'The queue is empty.' })}
${items.length > 0 ? html`<button type="submit" class="danger">Remove selected…</button>` : ''}
</form>
${pager(paging.offset, paging.limit, total)}
<div class="cards">
<section class="card" aria-labelledby="simple-h"><h2 id="simple-h">Add match IDs</h2>
<form method="post" action="/queue/enqueue" id="enqueue-simple">${csrfField(csrfToken)}
<label for="ids">Match IDs, one a line</label>
<textarea id="ids" name="ids" rows="5" required autocomplete="off" spellcheck="false"></textarea>
<p class="hint">Each value is compared with every column of a mapper it can be cast to (a customer id, an email...).</p>
${mapperChoice('simple', mappers)}
<button type="submit">Add to queue</button></form></section>
<section class="card" aria-labelledby="composite-h"><h2 id="composite-h">Add a composite match</h2>
<form method="post" action="/queue/enqueue-composite" id="enqueue-composite">${csrfField(csrfToken)}
<p class="hint">Rows where every named column equals its value (e.g. first_name and last_name).</p>
<table class="pairs"><thead><tr><th scope="col">Column</th><th scope="col">Value</th></tr></thead><tbody>
${Array.from({ length: COMPOSITE_ROWS }, (_, i) => html`<tr><td><input name="column" aria-label="Column ${i + 1}" autocomplete="off" spellcheck="false"></td><td><input name="value" aria-label="Value ${i + 1}" autocomplete="off" spellcheck="false"></td></tr>`)}
</tbody></table>
${mapperChoice('composite', mappers)}
<button type="submit">Add to queue</button></form></section>
</div>`);
  },
};

function itemRow(item: QueueItem, key: Buffer): SafeHtml[] {
  return [
    html`<input type="checkbox" name="item" value="${item.id}" aria-label="Remove item ${item.id}">`,
    html`<code>${item.id}</code>`,
    html`<code class="hash">${shortHash(hmacMatch(key, item.match))}</code>`,
    html`${item.match.kind === 'simple' ? 'simple' : `composite (${Object.keys(item.match.columns).join(', ')})`}`,
    html`${item.mappers ? item.mappers.join(', ') : 'all'}`,
    html`${formatTime(item.createdAt)}`,
  ];
}

function mapperChoice(form: string, mappers: readonly DataMapper[]): SafeHtml {
  return html`<fieldset><legend>Limit to data mappers (none ticked: all)</legend>
${mappers.map((m) => html`<label class="check"><input type="checkbox" name="mapper" value="${m.id}" id="${form}-mapper-${m.id}"> ${m.id}</label>`)}</fieldset>`;
}

function pager(offset: number, limit: number, total: number): SafeHtml {
  if (total <= limit) return html``;
  const prev = Math.max(0, offset - limit);
  return html`<nav aria-label="Queue pages" class="pager">
${offset > 0 ? html`<a href="/queue?offset=${prev}&amp;limit=${limit}" rel="prev">Previous ${limit}</a>` : ''}
${offset + limit < total ? html`<a href="/queue?offset=${offset + limit}&amp;limit=${limit}" rel="next">Next ${limit}</a>` : ''}</nav>`;
}

export const enqueueSimpleRoute: Route = {
  method: 'POST',
  path: /^\/queue\/enqueue$/,
  needsState: true,
  handle: async ({ backend, form }: RouteContext) => {
    const items = parseSimpleEnqueueForm(form, backend.config.dataMappers);
    const { count } = await enqueueMatches(backend.ports.state, items);
    return redirect('/queue', { kind: 'ok', text: `Added ${count} match ${count === 1 ? 'ID' : 'IDs'} to the queue.` });
  },
};

export const enqueueCompositeRoute: Route = {
  method: 'POST',
  path: /^\/queue\/enqueue-composite$/,
  needsState: true,
  handle: async ({ backend, form }: RouteContext) => {
    const item = parseCompositeEnqueueForm(form, backend.config.dataMappers);
    await enqueueMatches(backend.ports.state, [item]);
    return redirect('/queue', { kind: 'ok', text: 'Added 1 composite match to the queue.' });
  },
};

/** Remove, after a confirm step that lists what goes (by item id and hash). */
export const removeQueueItemsRoute: Route = {
  method: 'POST',
  path: /^\/queue\/remove$/,
  needsState: true,
  handle: async ({ backend, form, csrfToken }: RouteContext) => {
    const ids = parseQueueItemIds(form);
    if (form.get('confirm') !== 'yes') {
      return confirmPage({
        title: 'Remove queue items?',
        nav: 'queue',
        action: '/queue/remove',
        csrfToken,
        hidden: ids.map((id) => ['item', id]),
        question: html`<p>Remove ${ids.length} ${ids.length === 1 ? 'item' : 'items'} from the deletion queue? No job will erase ${ids.length === 1 ? 'its' : 'their'} rows unless they are enqueued again.</p>
<ul>${ids.map((id) => html`<li><code>${id}</code></li>`)}</ul>`,
        confirmLabel: `Yes, remove ${ids.length}`,
        cancelHref: '/queue',
      });
    }
    const missing = await removeQueueItems(backend.ports.state, ids);
    const removed = ids.length - missing.length;
    return redirect('/queue', missing.length === 0
      ? { kind: 'ok', text: `Removed ${removed} ${removed === 1 ? 'item' : 'items'} from the queue.` }
      : { kind: 'error', text: `Removed ${removed}; ${missing.length} no longer in the queue (a job may have taken them): ${missing.join(', ')}` });
  },
};

import { RouteResult, page } from '../consoleRoute';
import { html, SafeHtml } from '../html';
import { NavKey } from './layout';
import { csrfField } from './components';

export interface ConfirmOptions {
  title: string;
  nav: NavKey;
  action: string;
  csrfToken: string;
  hidden?: Array<[string, string]>;
  question: SafeHtml;
  confirmLabel: string;
  cancelHref: string;
}

/**
 * The confirm step of a destructive action: the same POST again with confirm=yes. A page rather than
 * a script dialog, so it works without JavaScript and reads well in a screen reader.
 */
export function confirmPage(options: ConfirmOptions): RouteResult {
  return page(options.title, options.nav, html`<h1>${options.title}</h1>
<section class="confirm" aria-labelledby="confirm-h"><h2 id="confirm-h" class="visually-hidden">Confirm</h2>
${options.question}
<form method="post" action="${options.action}">${csrfField(options.csrfToken)}
${(options.hidden ?? []).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<input type="hidden" name="confirm" value="yes">
<button type="submit" class="danger">${options.confirmLabel}</button>
<a href="${options.cancelHref}" class="button">Cancel</a>
</form></section>`);
}

import { SafeHtml, html } from '../html';

export type NavKey = 'overview' | 'queue' | 'mappers' | 'jobs' | 'none';

export interface LayoutOptions {
  title: string;
  nav: NavKey;
  body: SafeHtml;
  flash?: { kind: 'ok' | 'error'; text: string };
  mode: 'local' | 'aws';
  stateWhere: string;
}

const NAV: Array<{ key: NavKey; href: string; label: string }> = [
  { key: 'overview', href: '/', label: 'Overview' },
  { key: 'queue', href: '/queue', label: 'Deletion queue' },
  { key: 'mappers', href: '/mappers', label: 'Data mappers' },
  { key: 'jobs', href: '/jobs', label: 'Jobs' },
];

/** Every page: a skip link, the navigation, one <main>, and flash messages in a live region. */
export function renderLayout(options: LayoutOptions): string {
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · lethe console</title>
<link rel="stylesheet" href="/static/console.css">
<script src="/static/console.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <span class="brand">lethe console</span>
  <nav aria-label="Main"><ul>${NAV.map((n) => html`<li><a href="${n.href}"${n.key === options.nav ? html` aria-current="page"` : ''}>${n.label}</a></li>`)}</ul></nav>
  <span class="where" title="state store">${options.mode} · ${options.stateWhere}</span>
</header>
<main id="main">
<div role="status" aria-live="polite">${options.flash ? html`<p class="flash ${options.flash.kind}">${options.flash.text}</p>` : ''}</div>
${options.body}
</main>
</body>
</html>
`;
  return page.__html;
}

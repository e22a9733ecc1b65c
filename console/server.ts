import { readFileSync, existsSync } from 'node:fs';
import { IncomingMessage, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { currentUser } from '../shared/job/currentUser';
import { ConflictError, InputError, NotFoundError, errorMessage } from '../shared/model/errors';
import { ConsoleBackend, StateUnreachableError, asStateUnreachable } from './consoleBackend';
import { MAX_FORM_BYTES } from './consoleForms';
import { Flash, Route, RouteResult } from './consoleRoute';
import { AccessDecision, ConsoleSecurity, ConsoleSession } from './consoleSecurity';
import { html } from './html';
import { JobDriver } from './jobDriver';
import { NavKey, renderLayout } from './pages/layout';
import { consoleRoutes } from './routes/consoleRoutes';
import { STATE_ROOT } from '../shared/records/stateKeys';

export interface ConsoleServerOptions {
  backend: ConsoleBackend;
  /** 0 picks a free port (tests). */
  port: number;
  /** Fixed in tests; random otherwise. */
  accessToken?: string;
  log?: (line: string) => void;
}

export interface ConsoleServer {
  /** The URL to open: it carries the access token once, then a session cookie takes over. */
  openUrl: string;
  origin: string;
  accessToken: string;
  driver: JobDriver;
  /** Stops listening, waits for jobs this console drives to settle, and closes the backend. */
  close(): Promise<void>;
}

/** Loopback only: the console acts with the operator's own credentials and must not be reachable from the network. */
export const CONSOLE_HOST = '127.0.0.1';

const BASE_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  // Not no-referrer: under it Chromium sends `Origin: null` on same-origin form posts, which the
  // origin check must refuse. same-origin keeps the URL from leaving while Origin stays truthful.
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const log = options.log ?? (() => {});
  const security = new ConsoleSecurity(options.accessToken);
  const driver = new JobDriver(options.backend, log);
  const assets = loadStaticAssets();
  const user = currentUser();
  const server = createServer((request, response) => {
    handleRequest(request, response).catch((error: unknown) => {
      log(`console: ${request.method} ${pathOnly(request.url)}: ${errorMessage(error)}`);
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'internal error');
      else response.destroy();
    });
  });

  async function handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', `http://${CONSOLE_HOST}`);
    const decision = security.check(request, url);
    if (decision.kind === 'deny') {
      log(`console: refused ${request.method} ${url.pathname}: ${decision.reason}`);
      request.resume();
      return send(response, 403, 'text/plain; charset=utf-8', `403 Forbidden: ${decision.reason}\n`);
    }
    if (decision.kind === 'exchange' || url.searchParams.has('token')) {
      // Swap the token in the URL for a cookie, so it leaves the address bar and the history.
      url.searchParams.delete('token');
      return send(response, 303, 'text/plain; charset=utf-8', '', { location: url.pathname + url.search, ...(decision.kind === 'exchange' ? { 'set-cookie': decision.cookie } : {}) });
    }
    const asset = assets.get(url.pathname);
    if (asset && request.method === 'GET') return send(response, 200, asset.contentType, asset.body, { 'cache-control': 'no-cache' });
    const match = findRoute(request.method ?? 'GET', url.pathname);
    if (match === 'method') return send(response, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
    if (!match) return renderPage(response, decision.session, 404, 'Not found', 'none', html`<h1>Not found</h1><p>No page at this address. <a href="/">Overview</a></p>`);
    const { route, params } = match;
    let form = new URLSearchParams();
    if (route.method === 'POST') {
      const body = await readForm(request);
      if (typeof body === 'number') return send(response, body, 'text/plain; charset=utf-8', body === 413 ? 'form too large\n' : 'expected a form (application/x-www-form-urlencoded)\n');
      form = body;
      if (!security.checkCsrf(decision, form.get('_csrf'))) {
        log(`console: refused ${request.method} ${url.pathname}: CSRF token missing or wrong`);
        return send(response, 403, 'text/plain; charset=utf-8', '403 Forbidden: the form is stale or came from another site (reload the page and try again)\n');
      }
    }
    const where = options.backend.ports.state.describe(STATE_ROOT);
    try {
      if (route.needsState) await options.backend.checkState();
      const result = await route.handle({ backend: options.backend, driver, url, form, params, csrfToken: decision.session?.csrfToken ?? '', user });
      return respond(response, decision, result);
    } catch (error) {
      const unreachable = asStateUnreachable(error, where);
      if (unreachable) return renderUnreachable(response, decision.session, unreachable);
      if (error instanceof InputError || error instanceof ConflictError) {
        if (route.method === 'POST' && decision.session) return respond(response, decision, { kind: 'redirect', location: backTo(request), flash: { kind: 'error', text: error.message } });
        return renderPage(response, decision.session, error instanceof ConflictError ? 409 : 400, 'Cannot do that', 'none', html`<h1>Cannot do that</h1><p class="flash error">${error.message}</p><p><a href="/">Overview</a></p>`);
      }
      if (error instanceof NotFoundError) return renderPage(response, decision.session, 404, 'Not found', 'none', html`<h1>Not found</h1><p>${error.message}</p><p><a href="/jobs">Jobs</a></p>`);
      throw error;
    }
  }

  function respond(response: ServerResponse, decision: Extract<AccessDecision, { kind: 'allow' }>, result: RouteResult): void {
    switch (result.kind) {
      case 'page':
        return renderPage(response, decision.session, result.status ?? 200, result.title, result.nav, result.body);
      case 'redirect':
        if (result.flash && decision.session) decision.session.flash = result.flash;
        return send(response, 303, 'text/plain; charset=utf-8', '', { location: result.location });
      case 'file':
        return send(response, result.status ?? 200, result.contentType, result.body, result.headers ?? {});
    }
  }

  function renderPage(response: ServerResponse, session: ConsoleSession | undefined, status: number, title: string, nav: NavKey, body: ReturnType<typeof html>): void {
    const flash: Flash | undefined = session?.flash;
    if (session) delete session.flash;
    const text = renderLayout({ title, nav, body, mode: options.backend.mode, stateWhere: options.backend.ports.state.describe(STATE_ROOT), ...(flash ? { flash } : {}) });
    send(response, status, 'text/html; charset=utf-8', text);
  }

  function renderUnreachable(response: ServerResponse, session: ConsoleSession | undefined, error: StateUnreachableError): void {
    renderPage(response, session, 503, 'State store unreachable', 'none', html`<h1>State store unreachable</h1>
<p class="flash error" id="state-unreachable">lethe cannot read its state store <code>${error.where}</code>: ${error.reason}.</p>
<p>The queue, the jobs and the reports live there, so nothing can be shown or changed until it is back. Nothing was changed.
${options.backend.mode === 'local' ? 'Check that the stateDir in lethe.yaml exists and that this user can read and write it.' : 'Check the AWS credentials in this shell and LETHE_STATE_BUCKET.'}</p>
<p><a href="">Try again</a></p>`);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, CONSOLE_HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  security.bind(port);
  const origin = `http://${CONSOLE_HOST}:${port}`;
  return {
    openUrl: `${origin}/?token=${security.accessToken}`,
    origin,
    accessToken: security.accessToken,
    driver,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await driver.settle();
      await options.backend.close();
    },
  };
}

function findRoute(method: string, pathname: string): { route: Route; params: string[] } | 'method' | undefined {
  let wrongMethod = false;
  for (const route of consoleRoutes) {
    const found = route.path.exec(pathname);
    if (!found) continue;
    if (route.method !== method) {
      wrongMethod = true;
      continue;
    }
    return { route, params: found.slice(1) };
  }
  return wrongMethod ? 'method' : undefined;
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams | number> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    request.resume();
    return 415;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_FORM_BYTES) return 413;
    chunks.push(buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** After a refused form, back to the page it came from (same origin only), else the overview. */
function backTo(request: IncomingMessage): string {
  const referer = request.headers.referer;
  if (!referer) return '/';
  try {
    const url = new URL(referer);
    return url.host === request.headers.host ? url.pathname + url.search : '/';
  } catch {
    return '/';
  }
}

function send(response: ServerResponse, status: number, contentType: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  response.writeHead(status, { ...BASE_HEADERS, 'content-type': contentType, ...headers });
  response.end(body);
}

function pathOnly(url: string | undefined): string {
  return (url ?? '/').split('?')[0]!;
}

/** console/static, next to this file under tsx or beside the sources when run from dist/. */
function loadStaticAssets(): Map<string, { contentType: string; body: Buffer }> {
  const candidates = [path.join(__dirname, 'static'), path.join(__dirname, '..', '..', 'console', 'static')];
  const folder = candidates.find((c) => existsSync(path.join(c, 'console.css')));
  if (!folder) throw new Error(`console: static assets not found in ${candidates.join(' or ')}`);
  return new Map([
    ['/static/console.css', { contentType: 'text/css; charset=utf-8', body: readFileSync(path.join(folder, 'console.css')) }],
    ['/static/console.js', { contentType: 'text/javascript; charset=utf-8', body: readFileSync(path.join(folder, 'console.js')) }],
  ]);
}

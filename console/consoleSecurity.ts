import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { IncomingMessage } from 'node:http';

export interface ConsoleSession {
  id: string;
  /** Sent in every form as _csrf; a POST from a session must carry it. */
  csrfToken: string;
  /** One message shown on the next page (after a redirect). */
  flash?: { kind: 'ok' | 'error'; text: string };
}

export type AccessDecision =
  | { kind: 'allow'; session?: ConsoleSession; via: 'session' | 'header' }
  | { kind: 'exchange'; session: ConsoleSession; cookie: string }
  | { kind: 'deny'; reason: string };

/**
 * The console's guard. The access token is printed at start and asked for on every request: in the
 * URL once (?token=, swapped at once for a session cookie so it leaves the address bar), or in an
 * `Authorization: Bearer` header for scripts. Host and Origin must be this server, which stops DNS
 * rebinding and cross-site form posts; forms also carry a per-session CSRF token.
 */
export class ConsoleSecurity {
  readonly accessToken: string;
  private readonly sessions = new Map<string, ConsoleSession>();
  private port = 0;

  constructor(accessToken = randomBytes(24).toString('base64url')) {
    this.accessToken = accessToken;
  }

  /** The port is known once the server listens (port 0 in tests). */
  bind(port: number): void {
    this.port = port;
  }

  get cookieName(): string {
    // Cookies ignore ports: two consoles on one machine must not share (or clobber) a session.
    return `lethe_console_${this.port}`;
  }

  get origins(): string[] {
    return [`http://127.0.0.1:${this.port}`, `http://localhost:${this.port}`];
  }

  check(request: IncomingMessage, url: URL): AccessDecision {
    const host = request.headers.host ?? '';
    if (!this.origins.some((o) => o === `http://${host}`)) return { kind: 'deny', reason: `host "${host.slice(0, 80)}" is not this console` };
    const origin = request.headers.origin;
    if (origin !== undefined && !this.origins.includes(origin)) return { kind: 'deny', reason: 'the request came from another origin' };
    if (request.method !== 'GET' && request.method !== 'HEAD' && origin === undefined) {
      // Browsers send Origin on every POST; Referer is the fallback some privacy settings leave.
      const referer = request.headers.referer;
      if (referer !== undefined && !this.origins.some((o) => referer.startsWith(`${o}/`))) return { kind: 'deny', reason: 'the request came from another page' };
    }
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (bearer !== undefined) return sameSecret(bearer, this.accessToken) ? { kind: 'allow', via: 'header' } : { kind: 'deny', reason: 'wrong access token' };
    const session = this.sessions.get(readCookie(request.headers.cookie, this.cookieName) ?? '');
    if (session) return { kind: 'allow', session, via: 'session' };
    const queryToken = url.searchParams.get('token');
    if (queryToken !== null && request.method === 'GET' && sameSecret(queryToken, this.accessToken)) {
      const created = this.newSession();
      return { kind: 'exchange', session: created, cookie: `${this.cookieName}=${created.id}; HttpOnly; SameSite=Strict; Path=/` };
    }
    return { kind: 'deny', reason: 'missing or wrong access token (open the URL printed by lethe console)' };
  }

  /** A POST's CSRF check: header-token callers are scripts (a cross-site page cannot set that header). */
  checkCsrf(decision: Extract<AccessDecision, { kind: 'allow' }>, submitted: string | null): boolean {
    if (decision.via === 'header') return true;
    return decision.session !== undefined && submitted !== null && sameSecret(submitted, decision.session.csrfToken);
  }

  private newSession(): ConsoleSession {
    const id = randomBytes(24).toString('base64url');
    const session: ConsoleSession = { id, csrfToken: createHmac('sha256', this.accessToken).update(id).digest('base64url') };
    this.sessions.set(id, session);
    return session;
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

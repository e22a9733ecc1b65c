import { ConsoleBackend } from './consoleBackend';
import { ConsoleSession } from './consoleSecurity';
import { SafeHtml } from './html';
import { JobDriver } from './jobDriver';
import { NavKey } from './pages/layout';

export interface RouteContext {
  backend: ConsoleBackend;
  driver: JobDriver;
  url: URL;
  /** The request's form body (POST), already size-checked; empty for GET. */
  form: URLSearchParams;
  /** Captures of the route's path pattern. */
  params: string[];
  /** For the forms a page renders; empty for header-token callers, who need none. */
  csrfToken: string;
  /** Who acts, for job events: the console's OS user. */
  user: string;
}

export type Flash = { kind: 'ok' | 'error'; text: string };

export type RouteResult =
  | { kind: 'page'; status?: number; title: string; nav: NavKey; body: SafeHtml }
  | { kind: 'redirect'; location: string; flash?: Flash }
  | { kind: 'file'; status?: number; contentType: string; body: string | Buffer; headers?: Record<string, string> };

export interface Route {
  method: 'GET' | 'POST';
  path: RegExp;
  handle(context: RouteContext): Promise<RouteResult>;
  /** Pages and actions that read the state store check it first; static assets do not. */
  needsState: boolean;
}

export function page(title: string, nav: NavKey, body: SafeHtml, status = 200): RouteResult {
  return { kind: 'page', status, title, nav, body };
}

export function redirect(location: string, flash?: Flash): RouteResult {
  return { kind: 'redirect', location, ...(flash ? { flash } : {}) };
}

import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A fresh random token, URL-safe (like Jupyter's). */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The cookie that carries the token after the first visit; per port, since cookies ignore ports. */
export function cookieName(port: number): string {
  return `loopwright_token_${port}`;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookies(header: string | undefined): Map<string, string> {
  const jar = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) jar.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return jar;
}

/** The verdict on one request: allowed, or refused with an HTTP status and a reason. */
export type Verdict =
  | { ok: true; viaQuery: boolean }
  | { ok: false; status: 401 | 403; reason: string };

/** What the guard knows: the token and the port the server is bound to. */
export interface GuardOptions {
  token: string;
  port: number;
}

/** Hosts a browser may use to reach us; anything else is a DNS-rebinding attempt. */
function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/**
 * Checks one HTTP request or WebSocket upgrade: the Host header must name the loopback address we
 * serve on, the token must come in the query or in our cookie, and (for WebSocket upgrades, which
 * browsers send cross-origin freely) the Origin must be our own page.
 */
export function checkRequest(req: IncomingMessage, options: GuardOptions, kind: 'http' | 'websocket'): Verdict {
  const host = req.headers.host ?? '';
  if (!allowedHosts(options.port).includes(host)) {
    return { ok: false, status: 403, reason: `unexpected Host header "${host}"` };
  }
  if (kind === 'websocket') {
    const origin = req.headers.origin;
    const allowed = allowedHosts(options.port).map((h) => `http://${h}`);
    if (origin === undefined || !allowed.includes(origin)) {
      return { ok: false, status: 403, reason: `Origin "${origin ?? '(none)'}" is not this workbench` };
    }
  }
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const fromQuery = url.searchParams.get('token');
  const fromCookie = cookies(req.headers.cookie).get(cookieName(options.port));
  const offered = fromQuery ?? fromCookie;
  if (offered === undefined || offered === '') {
    return { ok: false, status: 401, reason: 'no token' };
  }
  if (!sameSecret(offered, options.token)) {
    return { ok: false, status: 403, reason: 'wrong token' };
  }
  return { ok: true, viaQuery: fromQuery !== null };
}

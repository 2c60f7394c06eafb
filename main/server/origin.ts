// Which web pages may talk to the server. WebSocket is not covered by CORS, so a page on any site
// could open a socket to 127.0.0.1 from the user's browser; the Origin header is checked instead
// (docs/architecture.md, security). A request without an Origin is not from a browser page (a Node
// script, curl): it passes here and must still present a valid token.
import type { IncomingHttpHeaders } from 'node:http';

export interface OriginPolicyOptions {
  /** Extra origins allowed besides the served UI itself, e.g. `http://localhost:5173` for Vite. */
  allowedOrigins?: readonly string[];
  /**
   * The server is bound to loopback: the Host header must then name loopback too, which stops
   * DNS-rebinding pages (evil.example resolving to 127.0.0.1) before they reach a token check.
   */
  loopbackOnly: boolean;
}

export type OriginVerdict = { ok: true } | { ok: false; reason: string };

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function hostnameOf(host: string): string {
  // `[::1]:4317` → `[::1]`, `localhost:4317` → `localhost`
  const match = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(host);
  return (match?.[1] ?? host).toLowerCase();
}

export function isLoopbackHost(host: string): boolean {
  const name = hostnameOf(host);
  return LOOPBACK_NAMES.has(name) || /^127\.\d+\.\d+\.\d+$/.test(name);
}

/** `http://a:1/` → `http://a:1`; null when it is not an http(s) origin. */
function normalizeOrigin(origin: string): string | null {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin;
  } catch {
    return null;
  }
}

export function createOriginPolicy(options: OriginPolicyOptions): (headers: IncomingHttpHeaders) => OriginVerdict {
  const allowed = new Set(
    (options.allowedOrigins ?? []).map((o) => normalizeOrigin(o)).filter((o): o is string => o !== null),
  );
  return (headers) => {
    const host = headers.host;
    if (!host) return { ok: false, reason: 'missing Host header' };
    if (options.loopbackOnly && !isLoopbackHost(host)) {
      return { ok: false, reason: `Host ${host} is not a loopback name (the server only listens on loopback)` };
    }
    const origin = headers.origin;
    if (origin === undefined) return { ok: true };
    const normalized = normalizeOrigin(origin);
    if (normalized === null) return { ok: false, reason: `Origin ${origin} is not allowed` };
    if (allowed.has(normalized)) return { ok: true };
    // Same origin as the served UI: the page was loaded from this very host and port.
    if (new URL(normalized).host === host.toLowerCase()) return { ok: true };
    return { ok: false, reason: `Origin ${origin} is not allowed` };
  };
}

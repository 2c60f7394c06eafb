// The plain HTTP side of the port: /healthz for monitors, /api/snapshot for scripts, and the
// built renderer for everything else. socket.io takes /socket.io before this sees it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EngineApi } from '../engine/api';
import { bearerToken } from './auth';
import type { OriginVerdict } from './origin';
import type { TokenStore } from './tokens';

export interface HttpRoutesOptions {
  engine: Pick<EngineApi, 'snapshot' | 'hub'>;
  tokens: Pick<TokenStore, 'verify'>;
  version: string;
  startedAt: number;
  checkOrigin: (headers: IncomingMessage['headers']) => OriginVerdict;
  serveStatic: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  log: (line: string) => void;
}

/** How long one serialized snapshot is reused while no event came (its heartbeat ages meanwhile). */
const SNAPSHOT_REUSE_MS = 1000;

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendBody(res, status, Buffer.from(JSON.stringify(body), 'utf8'), headers);
}

function sendBody(res: ServerResponse, status: number, text: Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': text.length,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

export function createHttpHandler(options: HttpRoutesOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { engine, tokens } = options;
  // The snapshot serialized once per seq (and at most a second old, for the heartbeat and
  // health it carries), shared by every request: many clients asking at once cost one copy,
  // and an answer waiting in a socket's queue holds a reference, not a copy.
  let snapshotCache: { seq: number; at: number; body: Buffer } | null = null;
  const snapshotBody = (): Buffer => {
    const now = performance.now();
    if (snapshotCache && snapshotCache.seq === engine.hub.seq && now - snapshotCache.at < SNAPSHOT_REUSE_MS) return snapshotCache.body;
    const snapshot = engine.snapshot();
    snapshotCache = { seq: snapshot.seq, at: now, body: Buffer.from(JSON.stringify(snapshot), 'utf8') };
    return snapshotCache.body;
  };

  const routes = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const verdict = options.checkOrigin(req.headers);
    if (!verdict.ok) {
      sendJson(res, 403, { error: 'forbidden', message: verdict.reason });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: 'method_not_allowed', message: 'Only GET and HEAD are served here.' }, { Allow: 'GET, HEAD' });
      return;
    }
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;

    if (pathname === '/healthz') {
      sendJson(res, 200, { ok: true, version: options.version, uptimeMs: Math.round(performance.now() - options.startedAt) });
      return;
    }
    if (pathname === '/api' || pathname.startsWith('/api/')) {
      const grant = tokens.verify(bearerToken(req.headers.authorization));
      if (!grant) {
        sendJson(
          res,
          401,
          { error: 'unauthorized', message: 'Send a token as `Authorization: Bearer <token>` (see `vigil token create`).' },
          { 'WWW-Authenticate': 'Bearer realm="vigil"' },
        );
        return;
      }
      if (pathname === '/api/snapshot') {
        sendBody(res, 200, snapshotBody());
        return;
      }
      sendJson(res, 404, { error: 'not_found', message: `No API at ${pathname}; there is /api/snapshot.` });
      return;
    }
    await options.serveStatic(req, res);
  };

  return (req, res) => {
    routes(req, res).catch((err: unknown) => {
      options.log(`HTTP ${req.method} ${req.url}: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) sendJson(res, 500, { error: 'internal', message: 'The server failed to answer; see its log.' });
      else res.destroy();
    });
  };
}

// The plain HTTP side of the port: /healthz for monitors, /api/snapshot for scripts, and the
// built renderer for everything else. socket.io takes /socket.io before this sees it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Runs } from '../runs/runs';
import { bearerToken } from './auth';
import type { OriginVerdict } from './origin';
import type { TokenStore } from './tokens';

export interface HttpRoutesOptions {
  /** The current snapshot as JSON text, serialized once per seq (main/session/hello.ts). */
  snapshotJson: () => string;
  tokens: Pick<TokenStore, 'verify'>;
  version: string;
  startedAt: number;
  checkOrigin: (headers: IncomingMessage['headers']) => OriginVerdict;
  serveStatic: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** Answers /api/runs; without it that route is 404. */
  runs?: Pick<Runs, 'list'>;
  log: (line: string) => void;
}

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
  const { tokens } = options;
  // The snapshot text is serialized once per seq (shared with every hello); its bytes are made
  // once per text too, so many answers waiting in sockets' queues hold one buffer, not copies.
  let snapshotCache: { text: string; body: Buffer } | null = null;
  const snapshotBody = (): Buffer => {
    const text = options.snapshotJson();
    if (snapshotCache?.text !== text) snapshotCache = { text, body: Buffer.from(text, 'utf8') };
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
    const url = new URL(req.url ?? '/', 'http://x');
    const pathname = url.pathname;

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
      // What this token may do, so a page can show the controls it cannot use as disabled from
      // the start instead of letting each click end in a refusal.
      if (pathname === '/api/access') {
        sendJson(res, 200, { scope: grant.scope });
        return;
      }
      if (pathname === '/api/runs' && options.runs) {
        // ?active=1: queued and running only; ?project=<id> narrows to one project.
        const active = ['1', 'true'].includes(url.searchParams.get('active') ?? '');
        const projectId = url.searchParams.get('project') ?? undefined;
        sendJson(res, 200, { runs: await options.runs.list({ active, projectId }) });
        return;
      }
      sendJson(res, 404, { error: 'not_found', message: `No API at ${pathname}; there are /api/snapshot, /api/access${options.runs ? ' and /api/runs' : ''}.` });
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

// The plain HTTP side of the port: /healthz for monitors, /api/snapshot for scripts, and the
// built renderer for everything else. socket.io takes /socket.io before this sees it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HistoryQuerySchema, type HistoryQuery } from '../../shared/history';
import { HistoryUnavailableError, type HistoryApi } from '../store/history';
import { HistoryQueryError } from '../store/queries';
import { bearerToken } from './auth';
import type { OriginVerdict } from './origin';
import type { TokenStore } from './tokens';

/** What /api/history reads: the store's journal. */
export type HistoryReader = Pick<HistoryApi, 'page'>;

export interface HttpRoutesOptions {
  /** The current snapshot as JSON text, serialized once per seq (main/session/hello.ts). */
  snapshotJson: () => string;
  /** Without one, /api/history answers 503. */
  history?: HistoryReader;
  tokens: Pick<TokenStore, 'verify'>;
  version: string;
  startedAt: number;
  checkOrigin: (headers: IncomingMessage['headers']) => OriginVerdict;
  serveStatic: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  log: (line: string) => void;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJsonText(res, status, JSON.stringify(body), headers);
}

function sendJsonText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

const NUMBER_PARAMS = ['since', 'until', 'beforeSeq', 'limit'] as const;
const TEXT_PARAMS = ['projectId', 'itemId'] as const;

/** The query string as a HistoryQuery: the same parameters, and bounds, as the `history:query` request. */
export function historyQueryFrom(params: URLSearchParams): { ok: true; query: HistoryQuery } | { ok: false; message: string } {
  const raw: Record<string, unknown> = {};
  for (const [key] of params) {
    if (![...NUMBER_PARAMS, ...TEXT_PARAMS, 'types'].includes(key)) return { ok: false, message: `Unknown parameter ${JSON.stringify(key.slice(0, 50))}.` };
  }
  for (const key of TEXT_PARAMS) {
    const value = params.get(key);
    if (value !== null) raw[key] = value;
  }
  for (const key of NUMBER_PARAMS) {
    const value = params.get(key);
    if (value === null) continue;
    if (!/^\d{1,16}$/.test(value)) return { ok: false, message: `${key} must be a whole number, not ${JSON.stringify(value.slice(0, 50))}.` };
    raw[key] = Number(value);
  }
  const types = params.getAll('types').flatMap((value) => value.split(',')).filter((t) => t.length > 0);
  if (types.length > 0) raw.types = types;
  const parsed = HistoryQuerySchema.safeParse(raw);
  if (parsed.success) return { ok: true, query: parsed.data };
  const first = parsed.error.issues[0];
  return { ok: false, message: `Invalid ${first?.path.join('.') || 'query'}: ${first?.message ?? 'bad value'}.` };
}

function serveHistory(params: URLSearchParams, res: ServerResponse, history: HistoryReader | undefined): void {
  if (!history) {
    sendJson(res, 503, { error: 'unavailable', message: 'This server keeps no history.' });
    return;
  }
  const parsed = historyQueryFrom(params);
  if (!parsed.ok) {
    sendJson(res, 400, { error: 'invalid', message: parsed.message });
    return;
  }
  try {
    sendJson(res, 200, history.page(parsed.query));
  } catch (err) {
    if (err instanceof HistoryQueryError) sendJson(res, 400, { error: 'invalid', message: err.message });
    else if (err instanceof HistoryUnavailableError) sendJson(res, 503, { error: 'unavailable', message: err.message });
    else throw err;
  }
}

export function createHttpHandler(options: HttpRoutesOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { tokens } = options;

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
        // The snapshot as serialized once per seq, with the server's clock and uptime added.
        const text = options.snapshotJson();
        sendJsonText(res, 200, `${text.slice(0, -1)},"uptimeMs":${Math.round(performance.now() - options.startedAt)},"serverTime":${Date.now()}}`);
        return;
      }
      if (pathname === '/api/history') {
        serveHistory(new URL(req.url ?? '/', 'http://x').searchParams, res, options.history);
        return;
      }
      sendJson(res, 404, { error: 'not_found', message: `No API at ${pathname}; there are /api/snapshot and /api/history.` });
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

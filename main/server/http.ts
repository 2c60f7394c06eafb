// The plain HTTP side of the port: /healthz for monitors, /api/snapshot for scripts, and the
// built renderer for everything else. socket.io takes /socket.io before this sees it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Runs } from '../runs/runs';
import { HistoryQuerySchema, type HistoryQuery } from '../../shared/history';
import { HistoryUnavailableError, type HistoryApi } from '../store/history';
import { HistoryQueryError } from '../store/queries';
import { HOOK_PATH } from '../agents/hook-endpoint-file';
import type { AgentsApi } from '../engine/api';
import { bearerToken } from './auth';
import { createHookRoute } from './hook-route';
import type { OriginVerdict } from './origin';
import type { TokenStore } from './tokens';

/** What /api/history reads: the store's journal. */
export type HistoryReader = Pick<HistoryApi, 'page'>;

export interface HttpRoutesOptions {
  /** The current snapshot as JSON text, serialized once per seq (main/session/hello.ts). */
  snapshotJson: () => string;
  /** Without one, /api/history answers 503. */
  history?: HistoryReader;
  /** Where hook posts go (POST /api/hook). */
  agents: Pick<AgentsApi, 'receive'>;
  tokens: Pick<TokenStore, 'verify'>;
  version: string;
  startedAt: number;
  checkOrigin: (headers: IncomingMessage['headers']) => OriginVerdict;
  serveStatic: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** Answers /api/runs; without it that route is 404. */
  runs?: Pick<Runs, 'list'>;
  log: (line: string) => void;
  /** Hook posts accepted per second (DEFAULT_HOOK_POSTS_PER_SECOND). */
  hookPostsPerSecond?: number;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendBody(res, status, [Buffer.from(JSON.stringify(body), 'utf8')], headers);
}

/** A JSON body in parts (a shared buffer and a small one of this answer's own), written without joining them. */
function sendBody(res: ServerResponse, status: number, parts: Buffer[], headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': parts.reduce((n, part) => n + part.length, 0),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  for (const part of parts.slice(0, -1)) res.write(part);
  res.end(parts.at(-1));
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
  const hookRoute = createHookRoute({ agents: options.agents, tokens, perSecond: options.hookPostsPerSecond }, sendJson);
  // The snapshot text is serialized once per seq (shared with every hello); its bytes are made
  // once per text too, so many answers waiting in sockets' queues hold one buffer, not copies.
  // The bytes end before the snapshot's closing brace: each answer adds its own fields and closes it.
  let snapshotCache: { text: string; head: Buffer } | null = null;
  const snapshotHead = (): Buffer => {
    const text = options.snapshotJson();
    if (snapshotCache?.text !== text) snapshotCache = { text, head: Buffer.from(text.slice(0, text.lastIndexOf('}')), 'utf8') };
    return snapshotCache.head;
  };

  const routes = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const verdict = options.checkOrigin(req.headers);
    if (!verdict.ok) {
      sendJson(res, 403, { error: 'forbidden', message: verdict.reason });
      return;
    }
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (pathname === HOOK_PATH) {
      await hookRoute(req, res);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: 'method_not_allowed', message: 'Only GET and HEAD are served here.' }, { Allow: 'GET, HEAD' });
      return;
    }

    if (pathname === '/healthz') {
      sendJson(res, 200, { ok: true, version: options.version, uptimeMs: Math.round(performance.now() - options.startedAt) });
      return;
    }
    if (pathname === '/api' || pathname.startsWith('/api/')) {
      const grant = tokens.verify(bearerToken(req.headers.authorization));
      if (grant?.scope === 'hook') {
        sendJson(res, 403, { error: 'forbidden', message: 'A hook token can only post to /api/hook; use a read token here.' });
        return;
      }
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
        // The shared snapshot bytes, then this answer's own few: the server's uptime and clock.
        const tail = Buffer.from(`,"uptimeMs":${Math.round(performance.now() - options.startedAt)},"serverTime":${Date.now()}}`, 'utf8');
        sendBody(res, 200, [snapshotHead(), tail]);
        return;
      }
      if (pathname === '/api/history') {
        serveHistory(new URL(req.url ?? '/', 'http://x').searchParams, res, options.history);
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
        const query = new URL(req.url ?? '/', 'http://x').searchParams;
        const active = ['1', 'true'].includes(query.get('active') ?? '');
        const projectId = query.get('project') ?? undefined;
        sendJson(res, 200, { runs: await options.runs.list({ active, projectId }) });
        return;
      }
      const apis = ['/api/snapshot', '/api/history', '/api/access', ...(options.runs ? ['/api/runs'] : [])];
      sendJson(res, 404, { error: 'not_found', message: `No API at ${pathname}; there are ${apis.slice(0, -1).join(', ')} and ${apis.at(-1)}.` });
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

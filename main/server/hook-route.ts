// POST /api/hook: where `vigil hook` delivers an agent's hook event. The token must have
// scope `hook` (or `control`); the body is JSON, at most MAX_HOOK_BODY_BYTES, validated by the
// agent tracker. A hook token reaches nothing else on the server: not the API, not a socket.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_HOOK_BODY_BYTES } from '../agents/hook-signal';
import type { AgentsApi } from '../engine/api';
import { bearerToken } from './auth';
import type { TokenStore } from './tokens';

export interface HookRouteOptions {
  agents: Pick<AgentsApi, 'receive'>;
  tokens: Pick<TokenStore, 'verify'>;
  /** Posts accepted per second across all hooks, with bursts of twice that. */
  perSecond?: number;
  /** A body that takes longer than this to arrive is dropped (a slow-loris client). */
  bodyTimeoutMs?: number;
  now?: () => number;
}

export const DEFAULT_HOOK_POSTS_PER_SECOND = 1000;

type Send = (res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>) => void;

/** The handler for POST /api/hook; `send` writes a JSON reply the way the rest of the server does. */
export function createHookRoute(options: HookRouteOptions, send: Send): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const now = options.now ?? (() => performance.now());
  const rate = options.perSecond ?? DEFAULT_HOOK_POSTS_PER_SECOND;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 5_000;
  let allowance = rate * 2;
  let refilledAt = now();

  const takePost = (): boolean => {
    const t = now();
    allowance = Math.min(rate * 2, allowance + ((t - refilledAt) / 1000) * rate);
    refilledAt = t;
    if (allowance < 1) return false;
    allowance -= 1;
    return true;
  };

  return async (req, res) => {
    if (req.method !== 'POST') {
      send(res, 405, { error: 'method_not_allowed', message: `${req.url} takes POST only.` }, { Allow: 'POST' });
      return;
    }
    const grant = options.tokens.verify(bearerToken(req.headers.authorization));
    if (!grant || (grant.scope !== 'hook' && grant.scope !== 'control')) {
      req.resume();
      send(
        res,
        401,
        { error: 'unauthorized', message: 'Hook posts need a hook token; `vigil hook` reads it from the config folder of a running Vigil.' },
        { 'WWW-Authenticate': 'Bearer realm="vigil"' },
      );
      return;
    }
    if (!takePost()) {
      req.resume();
      send(res, 429, { error: 'rate_limited', message: `More than ${rate} hook posts per second; this one was dropped.` }, { 'Retry-After': '1' });
      return;
    }
    const type = req.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(type)) {
      req.resume();
      send(res, 415, { error: 'unsupported_media_type', message: 'Send the hook event as application/json.' });
      return;
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > MAX_HOOK_BODY_BYTES) {
      req.resume();
      send(res, 413, { error: 'too_large', message: `A hook post may be at most ${MAX_HOOK_BODY_BYTES} bytes.` }, { Connection: 'close' });
      return;
    }
    const body = await readBody(req, MAX_HOOK_BODY_BYTES, bodyTimeoutMs);
    if (body === 'too_large') {
      send(res, 413, { error: 'too_large', message: `A hook post may be at most ${MAX_HOOK_BODY_BYTES} bytes.` }, { Connection: 'close' });
      return;
    }
    if (body === 'failed') {
      if (!res.headersSent) send(res, 408, { error: 'timeout', message: 'The hook post did not arrive in time.' }, { Connection: 'close' });
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (err) {
      send(res, 400, { error: 'invalid', message: `The hook post is not JSON: ${(err as Error).message}` });
      return;
    }
    const receipt = await options.agents.receive(parsed);
    if (!receipt.ok) {
      send(res, 400, { error: 'invalid', message: receipt.message });
      return;
    }
    send(res, 200, { ok: true, session: { id: receipt.session.id, state: receipt.session.state, projectId: receipt.session.projectId } });
  };
}

/** The body as text, or why not. Stops reading past `limit` bytes. */
function readBody(req: IncomingMessage, limit: number, timeoutMs: number): Promise<string | 'too_large' | 'failed'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (value: string | 'too_large' | 'failed'): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(value);
    };
    const timer = setTimeout(() => {
      finish('failed');
      req.destroy();
    }, timeoutMs);
    timer.unref();
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        finish('too_large');
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => finish('failed'));
    req.on('aborted', () => finish('failed'));
  });
}

// The browser's transport: socket.io to `vigil serve` (or the desktop app's LAN server).
// Reconnecting is ours rather than socket.io's so the UI can say exactly what is happening
// ("disconnected, retrying in 8 s"), and so Retry can skip the wait.
import { io } from 'socket.io-client';
import type { Hello, Reply, RequestApi, RequestError, RequestName, ServerEvents } from '../../shared/protocol';
import { reconnectDelay } from './backoff';
import { Emitter } from './emitter';
import type { AccessScope, ConnectionChange, Transport, TransportEvents } from './transport';

/** A seq no server reaches: asking to resync from it asks for a fresh hello. */
export const FRESH_SNAPSHOT_SEQ = Number.MAX_SAFE_INTEGER;

const SERVER_EVENTS: readonly (keyof ServerEvents)[] = ['hello', 'events', 'heartbeat', 'log', 'request:error'];

/** The subset of a socket.io client socket we use (a fake stands in for it in tests). */
export interface SocketLike {
  readonly connected: boolean;
  connect(): unknown;
  disconnect(): unknown;
  on(event: string, listener: (...args: never[]) => void): unknown;
  timeout(ms: number): { emit(event: string, payload: unknown, ack: (err: Error | null, reply: unknown) => void): unknown };
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SocketTransportOptions {
  /** The server's origin, e.g. `http://127.0.0.1:4317`. */
  url: string;
  token: string | null;
  requestTimeoutMs?: number;
  random?: () => number;
  now?: () => number;
  timers?: Timers;
  createSocket?: (url: string, token: string | null) => SocketLike;
  /** How GET /api/access is fetched (a stand-in in tests). */
  fetch?: (url: string, init: { headers: Record<string, string> }) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;
}

const defaultTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

function defaultSocket(url: string, token: string | null): SocketLike {
  return io(url, {
    autoConnect: false,
    reconnection: false,
    auth: { token: token ?? '' },
    // Ask for websocket first; loopback and LAN servers speak it, and it saves the upgrade dance.
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
  }) as unknown as SocketLike;
}

/** Does a connect error mean the server refused our token (retrying would not help)? */
export function isAuthError(err: Error & { data?: { code?: unknown } }): boolean {
  if (err.data?.code === 'unauthorized') return true;
  return /unauthori[sz]ed|forbidden|token/i.test(err.message);
}

export class SocketTransport implements Transport {
  readonly kind = 'socket' as const;
  readonly endpoint: string;
  readonly requests: RequestApi;

  private readonly emitter = new Emitter<TransportEvents>();
  private readonly socket: SocketLike;
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly requestTimeoutMs: number;
  private readonly token: string | null;
  private readonly fetchFn: NonNullable<SocketTransportOptions['fetch']>;
  private retryHandle: unknown = null;
  private attempt = 0;
  private everConnected = false;
  private closed = false;
  private started = false;

  constructor(options: SocketTransportOptions) {
    this.endpoint = options.url;
    this.timers = options.timers ?? defaultTimers;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.socket = (options.createSocket ?? defaultSocket)(options.url, options.token);
    this.token = options.token;
    this.fetchFn = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
    this.requests = new Proxy({} as RequestApi, {
      get: (_target, name) => (payload: unknown) => this.request(String(name) as RequestName, payload),
    });
    for (const event of SERVER_EVENTS) {
      this.socket.on(event, ((arg: never) => this.emitter.emit(event, arg)) as (...args: never[]) => void);
    }
    this.socket.on('connect', () => this.onConnect());
    this.socket.on('disconnect', ((reason: string) => this.onDisconnect(reason)) as (...args: never[]) => void);
    this.socket.on('connect_error', ((err: Error) => this.onConnectError(err)) as (...args: never[]) => void);
  }

  on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): () => void {
    return this.emitter.on(event, listener);
  }

  connect(): void {
    if (this.closed || this.started) return;
    this.started = true;
    this.announce({ status: 'connecting', reason: null, nextRetryAt: null, fatal: false });
    this.socket.connect();
  }

  retry(): void {
    if (this.closed || this.socket.connected) return;
    this.cancelRetry();
    this.attempt = 0;
    this.attemptNow();
  }

  close(): void {
    this.closed = true;
    this.cancelRetry();
    this.socket.disconnect();
    this.emitter.clear();
  }

  /**
   * A `resync` from beyond the server's newest seq cannot be answered with events, so the
   * server answers with a fresh hello (the path a client from before a server restart takes).
   */
  async snapshot(): Promise<Reply<Hello>> {
    const reply = await this.requests.resync({ sinceSeq: FRESH_SNAPSHOT_SEQ });
    if (!reply.ok) return reply;
    if ('hello' in reply.data) return { ok: true, data: reply.data.hello };
    return { ok: false, error: { event: 'resync', code: 'failed', message: `${this.endpoint} answered a snapshot request with events; try again.` } };
  }

  async access(): Promise<Reply<AccessScope>> {
    const fail = (message: string): Reply<AccessScope> => ({ ok: false, error: { event: 'access', code: 'failed', message } });
    try {
      const res = await this.fetchFn(`${this.endpoint}/api/access`, { headers: this.token ? { Authorization: `Bearer ${this.token}` } : {} });
      if (!res.ok) return fail(`${this.endpoint} did not say what this link may do (HTTP ${res.status}).`);
      const body = (await res.json()) as { scope?: unknown };
      // Anything but an explicit control grant is treated as read-only: the safe side.
      return { ok: true, data: body.scope === 'control' ? 'control' : 'read' };
    } catch (err) {
      return fail(`${this.endpoint} did not say what this link may do (${err instanceof Error ? err.message : String(err)}).`);
    }
  }

  private request(name: RequestName, payload: unknown): Promise<never> {
    return new Promise((resolve) => {
      const fail = (code: RequestError['code'], message: string): void =>
        resolve({ ok: false, error: { event: name, code, message } } as never);
      // socket.io would buffer the request until a reconnect; an answer now is more useful.
      if (!this.socket.connected) return fail('failed', `Not connected to ${this.endpoint}; try again once connected.`);
      this.socket.timeout(this.requestTimeoutMs).emit(name, payload ?? {}, (err, reply) => {
        if (err) return fail('failed', `${this.endpoint} did not answer within ${this.requestTimeoutMs / 1000} s; try again.`);
        resolve(reply as never);
      });
    });
  }

  private onConnect(): void {
    this.everConnected = true;
    this.attempt = 0;
    this.cancelRetry();
    this.announce({ status: 'connected', reason: null, nextRetryAt: null, fatal: false });
  }

  private onDisconnect(reason: string): void {
    if (this.closed) return;
    if (reason === 'io client disconnect') return;
    this.scheduleRetry(`Lost the connection to ${this.endpoint} (${reason}).`);
  }

  private onConnectError(err: Error): void {
    if (this.closed) return;
    if (isAuthError(err)) {
      this.cancelRetry();
      this.announce({
        status: 'disconnected',
        reason: `${this.endpoint} refused the access token: ${err.message}`,
        nextRetryAt: null,
        fatal: true,
        refusedToken: true,
      });
      return;
    }
    this.scheduleRetry(`Cannot reach ${this.endpoint} (${err.message}).`);
  }

  private scheduleRetry(reason: string): void {
    this.cancelRetry();
    const delay = reconnectDelay(this.attempt, this.random);
    this.attempt += 1;
    const nextRetryAt = this.now() + delay;
    this.announce({ status: 'disconnected', reason, nextRetryAt, fatal: false });
    this.retryHandle = this.timers.setTimeout(() => {
      this.retryHandle = null;
      this.attemptNow();
    }, delay);
  }

  private attemptNow(): void {
    if (this.closed || this.socket.connected) return;
    this.announce({ status: this.everConnected ? 'reconnecting' : 'connecting', reason: null, nextRetryAt: null, fatal: false });
    this.socket.connect();
  }

  private cancelRetry(): void {
    if (this.retryHandle !== null) this.timers.clearTimeout(this.retryHandle);
    this.retryHandle = null;
  }

  private announce(change: ConnectionChange): void {
    this.emitter.emit('connection', change);
  }
}

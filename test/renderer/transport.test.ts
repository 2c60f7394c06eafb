import { describe, expect, test } from 'vitest';
import { nominalDelay, reconnectDelay } from '../../renderer/transport/backoff';
import { FRESH_SNAPSHOT_SEQ, SocketTransport, type SocketLike, type Timers } from '../../renderer/transport/socket-transport';
import { fragmentWithoutToken, takeToken, tokenFromFragment, TOKEN_STORAGE_KEY } from '../../renderer/transport/token';
import type { ConnectionChange } from '../../renderer/transport/transport';

describe('reconnect backoff', () => {
  test('doubles from 1 s and caps at 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map((a) => nominalDelay(a))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  test('jitter spreads a delay within ±50 % and never above the cap', () => {
    expect(reconnectDelay(2, () => 0)).toBe(2000);
    expect(reconnectDelay(2, () => 0.999999)).toBe(6000);
    expect(reconnectDelay(9, () => 0.999999)).toBe(30000);
    expect(reconnectDelay(9, () => 0)).toBe(15000);
  });
});

describe('token from the URL fragment', () => {
  function place(hash: string, stored: string | null = null) {
    const storage = new Map<string, string>(stored ? [[TOKEN_STORAGE_KEY, stored]] : []);
    const replaced: string[] = [];
    return {
      replaced,
      storage,
      place: {
        location: { hash, pathname: '/', search: '?x=1' },
        history: { state: null, replaceState: (_s: unknown, _t: string, url?: string | URL | null) => replaced.push(String(url)) },
        storage: { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) },
      },
    };
  }

  test('reads the token, stores it for the tab and removes it from the address bar', () => {
    const p = place('#token=abc123&tab=plans');
    expect(takeToken(p.place)).toBe('abc123');
    expect(p.storage.get(TOKEN_STORAGE_KEY)).toBe('abc123');
    expect(p.replaced).toEqual(['/?x=1#tab=plans']);
  });

  test('after a reload the stored token is used and the URL is left alone', () => {
    const p = place('', 'kept');
    expect(takeToken(p.place)).toBe('kept');
    expect(p.replaced).toEqual([]);
  });

  test('fragment parsing', () => {
    expect(tokenFromFragment('#token=a%2Bb')).toBe('a+b');
    expect(tokenFromFragment('#other=1')).toBeNull();
    expect(tokenFromFragment('')).toBeNull();
    expect(fragmentWithoutToken('#token=x')).toBe('');
  });
});

/** A stand-in for a socket.io client socket: the test plays the server's part. */
class FakeSocket implements SocketLike {
  connected = false;
  connects = 0;
  emitted: { event: string; payload: unknown; ack: (err: Error | null, reply: unknown) => void }[] = [];
  private handlers = new Map<string, ((...args: never[]) => void)[]>();
  connect() {
    this.connects += 1;
  }
  disconnect() {
    this.connected = false;
  }
  on(event: string, listener: (...args: never[]) => void) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), listener]);
  }
  timeout() {
    return { emit: (event: string, payload: unknown, ack: (err: Error | null, reply: unknown) => void) => this.emitted.push({ event, payload, ack }) };
  }
  fire(event: string, ...args: unknown[]) {
    for (const h of this.handlers.get(event) ?? []) (h as (...a: unknown[]) => void)(...args);
  }
  serverAccepts() {
    this.connected = true;
    this.fire('connect');
  }
  serverDrops() {
    this.connected = false;
    this.fire('disconnect', 'transport close');
  }
}

class FakeTimers implements Timers {
  pending: { fn: () => void; ms: number; id: number }[] = [];
  private next = 0;
  setTimeout(fn: () => void, ms: number) {
    const id = ++this.next;
    this.pending.push({ fn, ms, id });
    return id;
  }
  clearTimeout(handle: unknown) {
    this.pending = this.pending.filter((t) => t.id !== handle);
  }
  runNext() {
    const t = this.pending.shift();
    t?.fn();
    return t?.ms;
  }
}

function setup() {
  const socket = new FakeSocket();
  const timers = new FakeTimers();
  const transport = new SocketTransport({ url: 'http://127.0.0.1:1', token: 't', timers, random: () => 0.5, now: () => 0, createSocket: () => socket });
  const changes: ConnectionChange[] = [];
  transport.on('connection', (c) => changes.push(c));
  return { socket, timers, transport, changes };
}

describe('socket transport', () => {
  test('connecting, connected, then a drop is announced and retried with growing delays', () => {
    const { socket, timers, transport, changes } = setup();
    transport.connect();
    socket.serverAccepts();
    socket.serverDrops();
    expect(changes.map((c) => c.status)).toEqual(['connecting', 'connected', 'disconnected']);
    expect(changes[2]!.nextRetryAt).toBe(1000);
    expect(timers.runNext()).toBe(1000);
    expect(changes.at(-1)!.status).toBe('reconnecting');
    socket.fire('connect_error', new Error('xhr poll error'));
    expect(timers.runNext()).toBe(2000);
    socket.fire('connect_error', new Error('xhr poll error'));
    expect(timers.runNext()).toBe(4000);
    socket.serverAccepts();
    expect(changes.at(-1)!.status).toBe('connected');
    // After a success the next drop starts from 1 s again.
    socket.serverDrops();
    expect(timers.runNext()).toBe(1000);
  });

  test('a refused token is fatal: no automatic retries', () => {
    const { socket, timers, transport, changes } = setup();
    transport.connect();
    socket.fire('connect_error', new Error('unauthorized'));
    expect(changes.at(-1)).toMatchObject({ status: 'disconnected', fatal: true });
    expect(timers.pending).toHaveLength(0);
  });

  test('retry skips the wait', () => {
    const { socket, timers, transport } = setup();
    transport.connect();
    socket.fire('connect_error', new Error('refused'));
    expect(timers.pending).toHaveLength(1);
    transport.retry();
    expect(timers.pending).toHaveLength(0);
    expect(socket.connects).toBe(2);
  });

  test('server events are forwarded; requests go out with an ack and come back as replies', async () => {
    const { socket, transport } = setup();
    const beats: number[] = [];
    transport.on('heartbeat', (b) => beats.push(b.tick));
    transport.connect();
    socket.serverAccepts();
    socket.fire('heartbeat', { tick: 7, latencyMs: 1, driftMs: 0, running: true, ts: 1 });
    expect(beats).toEqual([7]);
    const pending = transport.requests.resync({ sinceSeq: 4 });
    expect(socket.emitted[0]).toMatchObject({ event: 'resync', payload: { sinceSeq: 4 } });
    socket.emitted[0]!.ack(null, { ok: true, data: { events: [] } });
    await expect(pending).resolves.toEqual({ ok: true, data: { events: [] } });
  });

  test('a snapshot is asked for as a resync from beyond any seq, answered with a hello', async () => {
    const { socket, transport } = setup();
    transport.connect();
    socket.serverAccepts();
    const pending = transport.snapshot();
    expect(socket.emitted[0]).toMatchObject({ event: 'resync', payload: { sinceSeq: FRESH_SNAPSHOT_SEQ } });
    const fresh = { protocol: 1, serverTime: 1, seq: 3, snapshot: {}, recent: [] };
    socket.emitted[0]!.ack(null, { ok: true, data: { hello: fresh } });
    await expect(pending).resolves.toEqual({ ok: true, data: fresh });
  });

  test('a request while disconnected fails at once with a plain message', async () => {
    const { transport } = setup();
    const reply = await transport.requests['project:add']({ root: '/x' });
    expect(reply.ok).toBe(false);
    if (!reply.ok) expect(reply.error.message).toMatch(/Not connected/);
  });

  test('a request the server never answers times out', async () => {
    const { socket, transport } = setup();
    transport.connect();
    socket.serverAccepts();
    const pending = transport.requests.refresh({});
    socket.emitted[0]!.ack(new Error('operation has timed out'), undefined);
    const reply = await pending;
    expect(reply.ok).toBe(false);
  });
});

describe('what a link may do', () => {
  const withFetch = (answer: (url: string, headers: Record<string, string>) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>) =>
    new SocketTransport({ url: 'http://127.0.0.1:1', token: 'vigil_t', createSocket: () => new FakeSocket(), fetch: (url, init) => answer(url, init.headers) });

  test('is asked from /api/access with the token, and only an explicit control grant counts as control', async () => {
    const asked: [string, Record<string, string>][] = [];
    const control = withFetch(async (url, headers) => {
      asked.push([url, headers]);
      return { ok: true, status: 200, json: async () => ({ scope: 'control' }) };
    });
    expect(await control.access()).toEqual({ ok: true, data: 'control' });
    expect(asked).toEqual([['http://127.0.0.1:1/api/access', { Authorization: 'Bearer vigil_t' }]]);
    expect(await withFetch(async () => ({ ok: true, status: 200, json: async () => ({ scope: 'read' }) })).access()).toEqual({ ok: true, data: 'read' });
    expect(await withFetch(async () => ({ ok: true, status: 200, json: async () => ({ scope: 'admin' }) })).access()).toEqual({ ok: true, data: 'read' });
  });

  test('a refusal or a network failure is an error that says what happened, never control', async () => {
    const refused = await withFetch(async () => ({ ok: false, status: 401, json: async () => ({}) })).access();
    expect(refused).toMatchObject({ ok: false, error: { code: 'failed' } });
    expect(!refused.ok && refused.error.message).toContain('HTTP 401');
    const down = await withFetch(async () => Promise.reject(new Error('Failed to fetch'))).access();
    expect(!down.ok && down.error.message).toContain('Failed to fetch');
  });

  test('a refused token is marked as such, so the page can say the link is no longer valid', () => {
    const { socket, transport, changes } = setup();
    transport.connect();
    socket.fire('connect_error', Object.assign(new Error('This token is not valid (mistyped or revoked)'), { data: { code: 'unauthorized' } }));
    expect(changes.at(-1)).toMatchObject({ status: 'disconnected', fatal: true, refusedToken: true });
  });
});

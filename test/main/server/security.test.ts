import { request } from 'node:http';
import { afterEach, describe, expect, test } from 'vitest';
import { LIMITS } from '../../../shared/protocol';
import { TokenStore } from '../../../main/server/tokens';
import { closeWorlds, createWorld, until, writeTasks } from './world';

afterEach(closeWorlds);

describe('tokens on sockets', () => {
  test('a socket without a token is refused with a clear reason', async () => {
    const world = await createWorld();
    const err = await world.refused({ token: null });
    expect(err.data?.code).toBe('unauthorized');
    expect(err.message).toMatch(/token is required/);
  });

  test('a wrong token is refused', async () => {
    const world = await createWorld();
    const err = await world.refused({ token: `${world.read}x` });
    expect(err.data?.code).toBe('unauthorized');
    expect(err.message).toMatch(/not valid/);
  });

  test('a token in an Authorization header works for scripts', async () => {
    const world = await createWorld();
    const client = await world.connect({ token: null, headers: { authorization: `Bearer ${world.read}` } });
    expect(client.hello.seq).toBe(world.engine.hub.seq);
  });

  test('revoking a token disconnects its live sockets at once, and only those', async () => {
    const world = await createWorld();
    const { token, secret } = await world.tokens.create('read', 'to revoke');
    const doomed = await world.connect({ token: secret });
    const other = await world.connect();
    await world.tokens.revoke(token.id);
    await until(() => doomed.disconnectReason, 'the revoked socket to be disconnected');
    expect(doomed.disconnectReason).toBe('io server disconnect');
    expect(other.socket.connected).toBe(true);
    const err = await world.refused({ token: secret });
    expect(err.data?.code).toBe('unauthorized');
    expect(world.logLines.some((line) => line.includes(`token ${token.id} was revoked`))).toBe(true);
  });

  test('a revoke from another process (the CLI) disconnects too', async () => {
    const world = await createWorld({ watchTokens: true });
    const { token, secret } = await world.tokens.create('read');
    const doomed = await world.connect({ token: secret });
    const cli = await TokenStore.open(world.configDir);
    await cli.revoke(token.id);
    await cli.close();
    await until(() => doomed.disconnectReason, 'the revoked socket to be disconnected');
    expect(doomed.disconnectReason).toBe('io server disconnect');
  });
});

describe('origin', () => {
  test('a page from a foreign origin cannot open a socket, over websocket or polling', async () => {
    const world = await createWorld();
    for (const transports of [['websocket'], ['polling']] as const) {
      const err = await world.refused({ headers: { origin: 'http://evil.example' }, transports: [...transports] });
      expect(err).toBeInstanceOf(Error);
    }
    const res = await fetch(`${world.server.url}socket.io/?EIO=4&transport=polling`, { headers: { origin: 'http://evil.example' } });
    expect(res.status).toBe(403);
    expect(world.logLines.some((line) => line.includes('Origin http://evil.example is not allowed'))).toBe(true);
  });

  test('the served UI itself (same origin) may connect', async () => {
    const world = await createWorld();
    const origin = world.server.url.replace(/\/$/, '');
    const client = await world.connect({ headers: { origin } });
    expect(client.socket.connected).toBe(true);
  });

  test('an allowlisted origin may connect', async () => {
    const world = await createWorld({ server: { allowedOrigins: ['http://localhost:5173'] } });
    const client = await world.connect({ headers: { origin: 'http://localhost:5173' } });
    expect(client.socket.connected).toBe(true);
  });

  test('a DNS-rebinding Host on a loopback server is refused', async () => {
    const world = await createWorld();
    // fetch will not send a Host of our choosing; a raw request will.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: world.server.port, path: '/socket.io/?EIO=4&transport=polling', headers: { host: `evil.example:${world.server.port}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});

describe('bad messages', () => {
  test('malformed, unknown and oversized requests get error replies while others are served', async () => {
    const world = await createWorld();
    const bad = await world.connect();
    const good = await world.connect();

    expect(await bad.rawRequest('subscribe', { projects: 5 })).toMatchObject({ ok: false, error: { event: 'subscribe', code: 'invalid' } });
    expect(await bad.rawRequest('subscribe', 'not an object')).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await bad.rawRequest('resync', { sinceSeq: -1 })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await bad.rawRequest('resync', { sinceSeq: 1, extra: true })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await bad.rawRequest('launch:missiles', {})).toMatchObject({ ok: false, error: { event: 'launch:missiles', code: 'unknown' } });
    const tooManyLogs = Array.from({ length: LIMITS.maxLogSubscriptions + 1 }, (_, i) => ({ projectId: world.ids.alpha!, path: `${i}.log` }));
    expect(await bad.rawRequest('subscribe', { projects: 'all', logs: tooManyLogs })).toMatchObject({ ok: false, error: { code: 'too_large' } });
    const longPath = 'a/'.repeat(LIMITS.maxPathLength);
    expect(await bad.rawRequest('subscribe', { projects: 'all', logs: [{ projectId: world.ids.alpha!, path: longPath }] })).toMatchObject({
      ok: false,
      error: { code: 'too_large' },
    });

    // Without an ack, the error comes back as an event.
    bad.raw('subscribe', { projects: 5 });
    bad.raw('nonsense');
    await until(() => bad.errors.length >= 2, 'request:error events');
    expect(bad.errors.map((e) => e.code).sort()).toEqual(['invalid', 'unknown']);

    // Every refusal is logged.
    expect(world.logLines.filter((line) => line.includes('refused (invalid)')).length).toBeGreaterThanOrEqual(4);
    expect(world.logLines.some((line) => line.includes('unknown request "launch:missiles"'))).toBe(true);

    // The misbehaving client and the others are still served.
    expect(bad.socket.connected).toBe(true);
    expect(await bad.request('resync', { sinceSeq: bad.hello.seq })).toEqual({ ok: true, data: { events: [] } });
    await writeTasks(world.dirs.alpha!, [{ id: 1, title: 'alpha first task', status: 'done' }]);
    await until(() => good.events.some((e) => e.type === 'item:status'), 'the good client still gets events');
  });

  test('a message over the 64 KiB transport limit closes only that connection', async () => {
    const world = await createWorld();
    const big = await world.connect();
    const good = await world.connect();
    big.raw('subscribe', { projects: 'all', logs: [{ projectId: 'x', path: 'y'.repeat(LIMITS.maxMessageBytes + 1) }] });
    await until(() => big.disconnectReason, 'the oversized client to be dropped');
    expect(big.disconnectReason).toMatch(/transport/);
    expect(good.socket.connected).toBe(true);
    expect(await good.request('resync', { sinceSeq: good.hello.seq })).toMatchObject({ ok: true });
  });
});

describe('scopes', () => {
  test('control requests need a control token', async () => {
    const world = await createWorld();
    const reader = await world.connect();
    for (const [name, payload] of [
      ['refresh', {}],
      ['engine:stop', {}],
      ['project:add', { root: world.base }],
      ['project:remove', { projectId: world.ids.alpha }],
      ['projects:discover', { folder: world.base }],
      ['demo:start', {}],
    ] as const) {
      const reply = await reader.rawRequest(name, payload);
      expect(reply, name).toMatchObject({ ok: false, error: { event: name, code: 'forbidden' } });
      expect(reply.ok ? '' : reply.error.message).toMatch(/control scope/);
    }
    expect(world.engine.running).toBe(true);
    expect(world.engine.projects()).toHaveLength(1);
  });
});

describe('limits', () => {
  test('a client over its message rate gets rate_limited replies, and is dropped if it keeps on', async () => {
    const world = await createWorld({ server: { rateLimit: { perSecond: 20, burst: 40, abuseLimit: 60 } } });
    const flooder = await world.connect();
    const calm = await world.connect();
    const replies = await Promise.all(Array.from({ length: 60 }, () => flooder.request('resync', { sinceSeq: flooder.hello.seq })));
    const limited = replies.filter((r) => !r.ok && r.error.code === 'rate_limited').length;
    const served = replies.filter((r) => r.ok).length;
    expect(served).toBeGreaterThanOrEqual(40);
    expect(served).toBeLessThan(50);
    expect(limited).toBe(60 - served);
    expect(flooder.socket.connected).toBe(true);

    for (let i = 0; i < 100; i++) flooder.raw('resync', { sinceSeq: 0 });
    await until(() => flooder.disconnectReason, 'the flooder to be dropped');
    expect(world.logLines.some((line) => line.includes('too many messages'))).toBe(true);
    expect(await calm.request('resync', { sinceSeq: calm.hello.seq })).toMatchObject({ ok: true });
  });

  test('the client cap refuses the next client with a clear message, and frees up on disconnect', async () => {
    const world = await createWorld({ server: { maxClients: 2, maxClientsPerToken: 2 } });
    const first = await world.connect();
    await world.connect();
    const err = await world.refused();
    expect(err.data?.code).toBe('server_full');
    expect(err.message).toMatch(/2 clients connected/);
    first.close();
    await until(() => world.server.clientCount === 1, 'the first client to leave');
    const third = await world.connect();
    expect(third.socket.connected).toBe(true);
  });

  test('a dead connection is dropped by ping timeout, with no error for the others', async () => {
    // Short enough to see the drop, long enough that the live client, in this same busy
    // process, always answers in time on a loaded machine.
    const world = await createWorld({ server: { pingIntervalMs: 200, pingTimeoutMs: 1000 } });
    const alive = await world.connect();
    // A client that does the handshake over polling, then goes silent: it never answers a ping.
    const base = `${world.server.url}socket.io/?EIO=4&transport=polling`;
    const open = await (await fetch(base)).text();
    const sid = (JSON.parse(open.slice(1)) as { sid: string }).sid;
    await fetch(`${base}&sid=${sid}`, { method: 'POST', body: `40${JSON.stringify({ token: world.read })}`, headers: { 'content-type': 'text/plain' } });
    await until(() => world.server.clientCount === 2, 'the silent client to connect');
    await until(() => world.server.clientCount === 1, 'the silent client to be dropped', 10_000);
    expect(alive.socket.connected).toBe(true);
    expect(alive.errors).toEqual([]);
    await writeTasks(world.dirs.alpha!, [{ id: 1, title: 'alpha first task', status: 'done' }]);
    await until(() => alive.events.some((e) => e.type === 'item:status'), 'events still flowing');
  });

  test('close() disconnects every client and frees the port', async () => {
    const world = await createWorld();
    const client = await world.connect();
    await world.server.close();
    await until(() => client.disconnectReason, 'the client to be disconnected');
    expect(world.server.clientCount).toBe(0);
    await expect(fetch(`${world.server.url}healthz`)).rejects.toThrow();
  });
});

// Exhausting the server from the network: one token taking every client slot, TCP connections
// that never send a byte, a newline smuggled into a logged path. Real server, real sockets.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { closeWorlds, createWorld, until } from './world';

const raw: Socket[] = [];
afterEach(async () => {
  for (const socket of raw.splice(0)) socket.destroy();
  await closeWorlds();
});

function silentConnection(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => resolve(socket));
    socket.on('error', () => undefined);
    socket.once('error', reject);
    raw.push(socket);
  });
}

const isClosed = (socket: Socket): boolean => socket.destroyed || socket.readyState === 'closed';

describe('connections per token', () => {
  test('one token cannot take every slot: past a quarter of the cap it is refused with token_limit, others still get in', async () => {
    const world = await createWorld({ server: { maxClients: 8 } });
    const first = await world.connect();
    await world.connect();
    const refused = await world.refused();
    expect(refused.data?.code).toBe('token_limit');
    expect(refused.message).toMatch(/limit of 2.*vigil token create/);
    // Another token still gets in: the server is not full.
    const other = await world.connect({ token: world.control });
    expect(other.socket.connected).toBe(true);
    first.close();
    await until(() => world.server.clientCount === 2, 'the first client to leave');
    expect((await world.connect()).socket.connected).toBe(true);
  });
});

describe('silent TCP connections', () => {
  test('connections that never send a byte are closed within seconds', async () => {
    const world = await createWorld({ server: { silentConnectionMs: 300 } });
    const sockets = await Promise.all(Array.from({ length: 20 }, () => silentConnection(world.server.port)));
    await until(() => sockets.every(isClosed), 'every silent connection closed', 8000);
    // The server still answers those that talk.
    const res = await fetch(new URL('/healthz', world.server.url));
    expect(res.status).toBe(200);
  });

  test('silent connections count against the cap: past it they are dropped at once, and clients get in once they go', async () => {
    const world = await createWorld({ server: { maxClients: 4, silentConnectionMs: 1500 } });
    // Four clients and room for sixteen connections of page loads and polling.
    const cap = 20;
    const sockets = await Promise.all(Array.from({ length: cap + 15 }, () => silentConnection(world.server.port).catch(() => null)));
    // Those past the cap are closed by the server right away, long before the silent timeout.
    await until(() => sockets.filter((s) => s === null || isClosed(s)).length >= 15, 'the connections over the cap dropped', 1200);
    await until(() => sockets.every((s) => s === null || isClosed(s)), 'the rest closed as silent');
    expect((await world.connect()).socket.connected).toBe(true);
  });
});

describe('the server log', () => {
  test('a newline in a requested path cannot forge a line of the log', async () => {
    const world = await createWorld();
    const client = await world.connect();
    const forged = 'x.log\nvigil server: token tok_admin granted control to 10.0.0.66';
    await client.request('subscribe', { projects: 'all', logs: [{ projectId: world.ids.alpha!, path: forged }] });
    await client.request('subscribe', { projects: 'all', logs: [{ projectId: 'nope\r\nforged', path: 'a.log' }] });
    await fetch(new URL('/no/such%0Apath', world.server.url));
    await until(() => world.logLines.some((line) => line.includes('granted control')), 'the refusal logged');
    for (const line of world.logLines) expect(line, line).not.toMatch(/[\r\n]/);
    expect(world.logLines.some((line) => line.includes('x.log\\nvigil server: token'))).toBe(true);
  });
});

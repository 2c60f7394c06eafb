// The hello each client gets on connecting: written to a WebSocket from one encoding of the
// snapshot per seq shared by every client, and still, byte for byte, what socket.io's own
// encoder writes for the same hello — with each client's own serverTime.
import net from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import WebSocket from 'ws';
import type { Hello } from '../../../shared/protocol';
import { buildHello } from '../../../main/session/hello';
import { closeWorlds, createWorld, tasksJson, until, type World } from './world';

afterEach(closeWorlds);

const sockets: WebSocket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.terminate();
});

/**
 * Enough tasks that the snapshot's JSON is tens of kilobytes, like a real workspace's. None is
 * done, so nothing but the tasks changes (no throughput event follows a moment later).
 */
async function manyTasks(world: World, titlePrefix: string): Promise<void> {
  const tasks = Array.from({ length: 300 }, (_, i) => ({
    id: i + 1,
    title: `${titlePrefix} ${i}: wire the checkout to the new payment provider`, status: i % 3 ? 'pending' : 'in-progress' }));
  await writeFile(join(world.dirs.alpha!, '.taskmaster', 'tasks', 'tasks.json'), tasksJson(tasks));
}

/** A socket.io client spoken over a raw WebSocket: resolves with the text of the hello frame as it came. */
function rawHello(world: World): Promise<string> {
  const ws = new WebSocket(`${world.server.url.replace(/^http/, 'ws').replace(/\/?$/, '/')}socket.io/?EIO=4&transport=websocket`);
  sockets.push(ws);
  return new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const text = data.toString('utf8');
      if (text.startsWith('0{')) ws.send(`40${JSON.stringify({ token: world.read })}`);
      else if (text.startsWith('42["hello",')) {
        if (isBinary) reject(new Error('the hello came as a binary frame'));
        else resolve(text);
      }
    });
  });
}

/** The server's socket writes of more than `minBytes` made while `during` runs, in order. */
async function bigWrites(minBytes: number, during: () => Promise<void>): Promise<unknown[]> {
  const written: unknown[] = [];
  const write = net.Socket.prototype.write;
  net.Socket.prototype.write = function (this: net.Socket, chunk: unknown, ...rest: unknown[]) {
    const length = typeof chunk === 'string' ? chunk.length : Buffer.isBuffer(chunk) ? chunk.length : 0;
    if (length > minBytes) written.push(chunk);
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof write;
  try {
    await during();
  } finally {
    net.Socket.prototype.write = write;
  }
  return written;
}

test('a hello over a WebSocket is, byte for byte, the unshared hello with its own serverTime', async () => {
  const world = await createWorld();
  await manyTasks(world, 'Task');
  await until(() => JSON.stringify(world.engine.snapshot()).includes('Task 299:'), 'the 300 tasks');

  // Two clients whose hellos are at the seq the engine is still at when they are compared (a
  // late event from the write, under load, moves it: then they connect again), and carry the
  // heartbeat the engine still holds (a tick moves no seq).
  const beat = (): string => JSON.stringify(world.engine.snapshot().heartbeat);
  for (;;) {
    const seq = world.engine.hub.seq;
    const heartbeat = beat();
    const before = Date.now();
    const texts = [await rawHello(world), await rawHello(world)];
    const after = Date.now();
    const hellos = texts.map((text) => (JSON.parse(text.slice(2)) as ['hello', Hello])[1]);
    if (world.engine.hub.seq !== seq || hellos.some((hello) => hello.seq !== seq)) continue;
    if (beat() !== heartbeat || hellos.some((hello) => JSON.stringify(hello.snapshot.heartbeat) !== heartbeat)) continue;

    hellos.forEach((hello, i) => {
      expect(hello.serverTime).toBeGreaterThanOrEqual(before);
      expect(hello.serverTime).toBeLessThanOrEqual(after);
      // What socket.io's default encoder writes for the hello built from nothing cached.
      const unshared = { ...buildHello(world.engine), serverTime: hello.serverTime };
      expect(texts[i]).toBe(`42${JSON.stringify(['hello', unshared])}`);
    });
    break;
  }
});

test('a polling client, which cannot take the shared frame, gets the same hello', async () => {
  const world = await createWorld();
  await manyTasks(world, 'Task');
  await until(() => JSON.stringify(world.engine.snapshot()).includes('Task 299:'), 'the 300 tasks');

  // Connected again when a late event from the write moved the seq in between, or a heartbeat
  // (which the hello's snapshot carries, and which moves no seq) ticked between the connects and
  // the build; the pair that missed is closed first (a token's connections are capped, and a
  // loaded machine can miss many times).
  let viaPolling: Hello;
  let viaWebSocket: Hello;
  let built: Hello;
  const beat = (hello: Hello): string => JSON.stringify(hello.snapshot.heartbeat);
  for (;;) {
    const polling = await world.connect({ transports: ['polling'] });
    const webSocket = await world.connect({ transports: ['websocket'] });
    viaPolling = polling.hellos[0]!;
    viaWebSocket = webSocket.hellos[0]!;
    built = JSON.parse(JSON.stringify({ ...buildHello(world.engine), serverTime: viaWebSocket.serverTime })) as Hello;
    if (viaPolling.seq === viaWebSocket.seq && viaWebSocket.seq === world.engine.hub.seq && beat(viaPolling) === beat(viaWebSocket) && beat(built) === beat(viaWebSocket)) break;
    polling.close();
    webSocket.close();
    await until(() => world.server.clientCount === 0, 'the server to see the pair go');
  }
  expect({ ...viaPolling, serverTime: 0 }).toEqual({ ...viaWebSocket, serverTime: 0 });
  expect(viaWebSocket).toEqual(built);
});

test('clients connecting at one seq are written from one encoding of the snapshot; a new seq makes a new one', async () => {
  // No heartbeat in between: a beat makes the next hello build anew (the test below).
  const world = await createWorld({ engine: { heartbeatMs: 600_000 } });
  await manyTasks(world, 'Task');
  await until(() => JSON.stringify(world.engine.snapshot()).includes('Task 299:'), 'the 300 tasks');
  const snapshotBytes = Buffer.byteLength(JSON.stringify(world.engine.snapshot()));
  expect(snapshotBytes).toBeGreaterThan(20_000);

  const texts: string[] = [];
  const writes = await bigWrites(snapshotBytes / 2, async () => {
    const seq = world.engine.hub.seq;
    texts.push(await rawHello(world), await rawHello(world));
    expect(world.engine.hub.seq).toBe(seq);

    await manyTasks(world, 'Renamed task');
    await until(() => world.engine.hub.seq > seq && JSON.stringify(world.engine.snapshot()).includes('Renamed task 299:'), 'the renamed tasks');
    texts.push(await rawHello(world));
  });

  // Every big write is a buffer (no per-client string of the snapshot). Those that carry a
  // snapshot (the rest are the rename's events): the first two clients' the very same one, the
  // third client's a new one for the new seq.
  expect(writes.filter((chunk) => !Buffer.isBuffer(chunk))).toEqual([]);
  const snapshots = (writes as Buffer[]).filter((chunk) => chunk.toString('utf8', 0, 1) === '{');
  expect(snapshots).toHaveLength(3);
  expect(snapshots[0]).toBe(snapshots[1]);
  expect(snapshots[2]).not.toBe(snapshots[0]);
  const seqs = texts.map((text) => (JSON.parse(text.slice(2)) as ['hello', Hello])[1].seq);
  expect(seqs[0]).toBe(seqs[1]);
  expect(seqs[2]).toBeGreaterThan(seqs[0]!);
  expect(texts[2]).toContain('Renamed task 299');
});

test('a hello and GET /api/snapshot carry the newest heartbeat, though a beat moves no seq', async () => {
  const world = await createWorld();
  const tickOf = (snapshot: Hello['snapshot']): number => snapshot.heartbeat?.tick ?? -1;
  const apiSnapshot = async (): Promise<Hello['snapshot']> =>
    (await (await fetch(new URL('/api/snapshot', world.server.url), { headers: { Authorization: `Bearer ${world.read}` } })).json()) as Hello['snapshot'];
  for (;;) {
    const first = (await world.connect()).hellos[0]!;
    const firstApi = await apiSnapshot();
    await until(() => tickOf(world.engine.snapshot()) > Math.max(tickOf(first.snapshot), tickOf(firstApi)), 'a heartbeat after the first hello');
    const second = (await world.connect()).hellos[0]!;
    const secondApi = await apiSnapshot();
    // A late event moved the seq in between (a fresh snapshot either way): look again.
    if (second.seq !== first.seq || secondApi.seq !== first.seq) continue;
    expect(tickOf(second.snapshot)).toBeGreaterThan(tickOf(first.snapshot));
    expect(tickOf(secondApi)).toBeGreaterThan(tickOf(firstApi));
    break;
  }
});

import { appendFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { PROTOCOL_VERSION } from '../../../shared/protocol';
import { projectOf } from '../../../main/server/project-filter';
import { closeWorlds, createWorld, until, writeTasks } from './world';

afterEach(closeWorlds);

/** The seqs are consecutive: no gap, no duplicate. */
function expectConsecutive(seqs: number[], from: number): void {
  expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => from + i));
}

describe('hello', () => {
  test('a new client gets the protocol version, the seq, the snapshot and recent events', async () => {
    const world = await createWorld({ projects: ['alpha', 'beta'] });
    const client = await world.connect();
    const hello = client.hello;
    expect(hello.protocol).toBe(PROTOCOL_VERSION);
    expect(Math.abs(hello.serverTime - Date.now())).toBeLessThan(5000);
    expect(hello.seq).toBe(world.engine.hub.seq);
    expect(hello.snapshot.seq).toBe(hello.seq);
    expect(hello.snapshot.projects.map((p) => p.id).sort()).toEqual([world.ids.alpha, world.ids.beta].sort());
    expect(hello.snapshot.plans.map((p) => p.title).sort()).toEqual(['alpha first task', 'beta first task']);
    expect(hello.recent.length).toBeLessThanOrEqual(50);
    for (const event of hello.recent) expect(event.seq).toBeLessThanOrEqual(hello.seq);
  });

  test('recent holds the last 50 events', async () => {
    const world = await createWorld();
    for (let i = 0; i < 30; i++) {
      await writeTasks(world.dirs.alpha!, [{ id: 1, title: 'alpha first task', status: i % 2 ? 'pending' : 'in-progress' }]);
      const before = world.engine.hub.seq;
      await until(() => world.engine.hub.seq > before, 'the change to be seen');
    }
    expect(world.engine.hub.seq).toBeGreaterThan(50);
    const client = await world.connect();
    expect(client.hello.recent).toHaveLength(50);
    expectConsecutive(client.hello.recent.map((e) => e.seq), client.hello.seq - 49);
  });
});

describe('live events', () => {
  test('a file change reaches two clients, in one order, with consecutive seq', async () => {
    const world = await createWorld();
    const a = await world.connect();
    const b = await world.connect();
    await writeTasks(world.dirs.alpha!, [{ id: 1, title: 'alpha first task', status: 'done' }]);
    await until(() => a.events.some((e) => e.type === 'item:status') && b.events.some((e) => e.type === 'item:status'), 'item:status on both');
    const status = a.events.find((e) => e.type === 'item:status');
    expect(status?.payload).toMatchObject({ projectId: world.ids.alpha, kind: 'plan', title: 'alpha first task', to: 'done' });
    // Both clients got the same events, starting right after their hello.
    await until(() => a.seqs.length === b.seqs.length && a.seqs.at(-1) === world.engine.hub.seq, 'both clients caught up');
    expectConsecutive(a.seqs, a.hello.seq + 1);
    expectConsecutive(b.seqs, b.hello.seq + 1);
    expect(a.events.filter((e) => e.seq > b.hello.seq)).toEqual(b.events.filter((e) => e.seq > a.hello.seq));
  });

  test('heartbeats arrive', async () => {
    const world = await createWorld();
    const client = await world.connect();
    await until(() => client.beats.length >= 2, 'two heartbeats');
    expect(client.beats[1]!.tick).toBeGreaterThan(client.beats[0]!.tick);
    expect(client.beats[0]).toMatchObject({ running: true });
  });

  test('a client subscribed to one project receives only its events, plus global ones', async () => {
    const world = await createWorld({ projects: ['alpha', 'beta'] });
    const onlyAlpha = await world.connect();
    const everything = await world.connect();
    const reply = await onlyAlpha.request('subscribe', { projects: [world.ids.alpha!] });
    expect(reply).toEqual({ ok: true, data: { projects: [world.ids.alpha], logs: [] } });

    await writeTasks(world.dirs.beta!, [{ id: 1, title: 'beta first task', status: 'done' }]);
    await until(() => everything.events.some((e) => e.type === 'item:status' && projectOf(e) === world.ids.beta), 'beta change');
    await writeTasks(world.dirs.alpha!, [{ id: 1, title: 'alpha first task', status: 'done' }]);
    await until(() => everything.events.some((e) => e.type === 'item:status' && projectOf(e) === world.ids.alpha), 'alpha change (all)');
    await until(() => onlyAlpha.events.some((e) => e.type === 'item:status' && projectOf(e) === world.ids.alpha), 'alpha change (alpha)');

    expect(onlyAlpha.events.filter((e) => projectOf(e) === world.ids.beta)).toEqual([]);
    const expected = everything.events.filter((e) => e.seq > onlyAlpha.hello.seq && (projectOf(e) === null || projectOf(e) === world.ids.alpha));
    await until(() => onlyAlpha.events.length >= expected.length, 'alpha client caught up');
    expect(onlyAlpha.events).toEqual(expected.filter((e) => e.seq <= onlyAlpha.events.at(-1)!.seq));

    // Back to everything.
    await onlyAlpha.request('subscribe', { projects: 'all' });
    await writeTasks(world.dirs.beta!, [{ id: 1, title: 'beta first task', status: 'pending' }]);
    await until(() => onlyAlpha.events.some((e) => e.type === 'item:status' && projectOf(e) === world.ids.beta), 'beta change after subscribing to all');
  });
});

describe('resync', () => {
  test('after a forced disconnect, resync delivers exactly the missed events: no gap, no duplicate', async () => {
    const world = await createWorld();
    const first = await world.connect();
    await writeTasks(world.dirs.alpha!, [{ id: 1, title: 'alpha first task', status: 'in-progress' }]);
    await until(() => first.events.some((e) => e.type === 'item:status'), 'first change');
    await until(() => first.seqs.at(-1) === world.engine.hub.seq, 'first client caught up');
    const lastSeen = first.seqs.at(-1)!;

    // The network drops: the server closes the connection under the client.
    first.socket.io.engine.close();
    await until(() => first.disconnectReason, 'disconnect');

    // Things happen while it is away.
    await writeTasks(world.dirs.alpha!, [{ id: 1, title: 'alpha first task', status: 'done' }]);
    await writeTasks(world.dirs.alpha!, [
      { id: 1, title: 'alpha first task', status: 'done' },
      { id: 2, title: 'alpha second task', status: 'pending' },
    ]);
    await until(() => world.engine.snapshot().plans.length === 2, 'the second task');
    expect(world.engine.hub.seq).toBeGreaterThan(lastSeen);

    const again = await world.connect();
    const reply = await again.request('resync', { sinceSeq: lastSeen });
    if (!reply.ok || !('events' in reply.data)) throw new Error(`expected events, got ${JSON.stringify(reply)}`);
    const replayed = reply.data.events;
    expect(replayed.length).toBeGreaterThan(0);
    expectConsecutive(replayed.map((e) => e.seq), lastSeen + 1);
    expect(replayed.at(-1)!.seq).toBe(again.hello.seq);

    // And live events continue right after.
    await writeTasks(world.dirs.alpha!, [{ id: 1, title: 'alpha first task', status: 'done' }]);
    await until(() => again.events.some((e) => e.type === 'plan:removed'), 'live event after resync');
    const all = [...first.seqs, ...replayed.map((e) => e.seq), ...again.seqs];
    expectConsecutive(all, first.hello.seq + 1);
  });

  test('resync from the current seq returns nothing', async () => {
    const world = await createWorld();
    const client = await world.connect();
    expect(await client.request('resync', { sinceSeq: client.hello.seq })).toEqual({ ok: true, data: { events: [] } });
  });

  test('resync from further back than the ring holds sends a fresh hello', async () => {
    const world = await createWorld({ engine: { hub: { ringSize: 3 } } });
    for (let i = 0; i < 3; i++) {
      const before = world.engine.hub.seq;
      await writeTasks(world.dirs.alpha!, [{ id: 1, title: 'alpha first task', status: i % 2 ? 'pending' : 'done' }]);
      await until(() => world.engine.hub.seq > before, 'a change');
    }
    const client = await world.connect();
    const reply = await client.request('resync', { sinceSeq: 0 });
    if (!reply.ok || !('hello' in reply.data)) throw new Error(`expected a hello, got ${JSON.stringify(reply)}`);
    expect(reply.data.hello.seq).toBe(world.engine.hub.seq);
    expect(reply.data.hello.snapshot.plans).toHaveLength(1);
  });

  test('a seq from before a server restart (ahead of ours) sends a fresh hello', async () => {
    const world = await createWorld();
    const client = await world.connect();
    const reply = await client.request('resync', { sinceSeq: client.hello.seq + 1000 });
    expect(reply.ok && 'hello' in reply.data).toBe(true);
  });

  test('resync without an ack still delivers, as events', async () => {
    const world = await createWorld();
    await writeTasks(world.dirs.alpha!, [{ id: 1, title: 'alpha first task', status: 'done' }]);
    await until(() => world.engine.snapshot().plans[0]?.status === 'done', 'the change');
    const client = await world.connect();
    client.raw('resync', { sinceSeq: 0 });
    await until(() => client.events.length > 0, 'replayed events');
    expectConsecutive(client.seqs, 1);
  });
});

describe('under a steady stream of events', () => {
  test('clients that connect and resync mid-stream see every event exactly once', async () => {
    const world = await createWorld();
    // Events published from a timer land between a connection's hello (poll phase) and the
    // hub's flush (check phase): exactly the window where a gap or a duplicate would appear.
    const stream = setInterval(() => {
      world.engine.hub.publish([{ type: 'throughput:changed', payload: { throughput: { finishedLastHour: 0, failedLastHour: 0, meanCycleMs: null } } }]);
    }, 1);
    const clients = [];
    const replays: number[][] = [];
    try {
      for (let i = 0; i < 6; i++) {
        const client = await world.connect();
        clients.push(client);
        const sinceSeq = Math.max(0, client.hello.seq - 5);
        const reply = await client.request('resync', { sinceSeq });
        if (!reply.ok || !('events' in reply.data)) throw new Error('expected events');
        replays.push([sinceSeq, ...reply.data.events.map((e) => e.seq)]);
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
    } finally {
      clearInterval(stream);
    }
    const last = world.engine.hub.seq;
    for (const [i, client] of clients.entries()) {
      await until(() => client.seqs.at(-1) === last, `client ${i} caught up`);
      expectConsecutive(client.seqs, client.hello.seq + 1);
      const [sinceSeq, ...replayed] = replays[i]!;
      expectConsecutive(replayed, sinceSeq! + 1);
      expect(replayed.at(-1)).toBe(client.hello.seq);
    }
  });
});

describe('logs', () => {
  test('a subscribed log sends its backlog, then new lines as they are written', async () => {
    const world = await createWorld();
    await writeFile(join(world.dirs.alpha!, '.taskmaster', 'agent.log'), 'one\ntwo\n');
    const client = await world.connect();
    const reply = await client.request('subscribe', { projects: 'all', logs: [{ projectId: world.ids.alpha!, path: '.taskmaster/agent.log' }] });
    expect(reply).toEqual({ ok: true, data: { projects: [world.ids.alpha], logs: [{ projectId: world.ids.alpha, path: '.taskmaster/agent.log' }] } });
    await until(() => client.logs.some((m) => m.lines.some((l) => l.text === 'two')), 'backlog');
    await appendFile(join(world.dirs.alpha!, '.taskmaster', 'agent.log'), 'three\n');
    await until(() => client.logs.some((m) => m.lines.some((l) => l.text === 'three')), 'the new line');
    expect(client.logs.every((m) => m.projectId === world.ids.alpha && m.path === '.taskmaster/agent.log')).toBe(true);
  });

  test('unsubscribing stops the lines', async () => {
    const world = await createWorld();
    await writeFile(join(world.dirs.alpha!, '.taskmaster', 'agent.log'), 'one\n');
    const client = await world.connect();
    await client.request('subscribe', { projects: 'all', logs: [{ projectId: world.ids.alpha!, path: '.taskmaster/agent.log' }] });
    await client.request('subscribe', { projects: 'all', logs: [] });
    const before = client.logs.length;
    await appendFile(join(world.dirs.alpha!, '.taskmaster', 'agent.log'), 'two\n');
    // A second file proves the engine had time to see the change.
    await writeTasks(world.dirs.alpha!, [{ id: 1, title: 'alpha first task', status: 'done' }]);
    await until(() => client.events.some((e) => e.type === 'item:status'), 'a later event');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(client.logs.length).toBe(before);
  });

  test('paths that climb out, absolute paths and symlinks leading out are refused; unknown projects are not found', async () => {
    const world = await createWorld();
    await writeFile(join(world.base, 'secret.log'), 'the password\n');
    await symlink(join(world.base, 'secret.log'), join(world.dirs.alpha!, 'escape.log'));
    const client = await world.connect();
    const alpha = world.ids.alpha!;
    for (const path of ['../secret.log', 'sub/../../secret.log', join(world.base, 'secret.log'), '..\\secret.log', 'escape.log']) {
      const reply = await client.request('subscribe', { projects: 'all', logs: [{ projectId: alpha, path }] });
      expect(reply.ok ? 'ok' : reply.error.code, path).toBe('forbidden');
    }
    const unknown = await client.request('subscribe', { projects: 'all', logs: [{ projectId: 'nope', path: '.taskmaster/agent.log' }] });
    expect(unknown.ok ? 'ok' : unknown.error.code).toBe('not_found');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client.logs.flatMap((m) => m.lines.map((l) => l.text))).not.toContain('the password');
    expect(world.logLines.some((line) => line.includes('forbidden'))).toBe(true);
  });

  test('a refused log leaves the earlier subscription as it was', async () => {
    const world = await createWorld({ projects: ['alpha', 'beta'] });
    await writeFile(join(world.dirs.alpha!, '.taskmaster', 'agent.log'), 'one\n');
    const client = await world.connect();
    await client.request('subscribe', { projects: [world.ids.alpha!], logs: [{ projectId: world.ids.alpha!, path: '.taskmaster/agent.log' }] });
    const refused = await client.request('subscribe', { projects: 'all', logs: [{ projectId: world.ids.alpha!, path: '../x.log' }] });
    expect(refused.ok).toBe(false);
    await appendFile(join(world.dirs.alpha!, '.taskmaster', 'agent.log'), 'two\n');
    await until(() => client.logs.some((m) => m.lines.some((l) => l.text === 'two')), 'the log still followed');
    await writeTasks(world.dirs.beta!, [{ id: 1, title: 'beta first task', status: 'done' }]);
    await writeTasks(world.dirs.alpha!, [{ id: 1, title: 'alpha first task', status: 'done' }]);
    await until(() => client.events.some((e) => e.type === 'item:status'), 'alpha event');
    expect(client.events.filter((e) => projectOf(e) === world.ids.beta)).toEqual([]);
  });
});

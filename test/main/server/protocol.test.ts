// What the protocol means for socket.io clients in particular: several clients at once, a
// dropped connection, requests without an ack. The cases every transport shares are in
// test/main/session/contract.test.ts.
import { afterEach, describe, expect, test } from 'vitest';
import { closeWorlds, createWorld, until, writeTasks } from './world';

afterEach(closeWorlds);

/** The seqs are consecutive: no gap, no duplicate. */
function expectConsecutive(seqs: number[], from: number): void {
  expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => from + i));
}

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

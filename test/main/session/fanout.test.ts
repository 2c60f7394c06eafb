// Events on their way to real socket.io clients: bursts share frames (fewer writes), nothing is
// lost, duplicated or reordered, a lone event needs no timer, and a broadcast written in slices
// keeps the hello/resync guarantees. Frame counts and seq order are asserted, never durations.
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { DomainEvent } from '../../../shared/protocol';
import { projectOf } from '../../../main/session/project-filter';
import { closeWorlds, createWorld, until, type TestClient, type World } from '../server/world';

afterEach(async () => {
  vi.restoreAllMocks();
  await closeWorlds();
});

function expectConsecutive(seqs: number[], from: number): void {
  expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => from + i));
}

const issue = (projectId: string, n: number): DomainEvent => ({ type: 'parse:issue', payload: { projectId, path: `file-${n}.md`, issues: [] } });

/** Publish `count` events, one per turn of the event loop (each its own hub flush), cycling over `projects`. */
async function burst(world: World, count: number, projects: string[]): Promise<void> {
  for (let i = 0; i < count; i++) {
    world.engine.hub.publish([issue(projects[i % projects.length]!, i)]);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Timers the fan-out's pacer set (it still gets real ones). */
function countingTimers() {
  const set: number[] = [];
  return {
    set,
    setTimer(fn: () => void, ms: number) {
      set.push(ms);
      const timer = setTimeout(fn, ms);
      return () => clearTimeout(timer);
    },
  };
}

describe('coalescing', () => {
  test('a burst reaches every client in fewer frames, in seq order, none lost or repeated', async () => {
    const world = await createWorld({ server: { fanout: { batchWindowMs: 10 } } });
    const a = await world.connect();
    const b = await world.connect();
    await until(() => a.events.length === 0 && world.engine.hub.seq === a.hello.seq, 'a quiet start');
    const count = 200;
    await burst(world, count, [world.ids.alpha!]);
    const last = world.engine.hub.seq;
    for (const client of [a, b]) {
      await until(() => client.seqs.at(-1) === last, 'the whole burst');
      expectConsecutive(client.seqs, client.hello.seq + 1);
      expect(client.events.filter((e) => e.type === 'parse:issue')).toHaveLength(count);
      // One hub flush per event, yet far fewer frames: every frame after the first gathered the window's events.
      expect(client.batches.length).toBeGreaterThan(1);
      expect(client.batches.length).toBeLessThanOrEqual(count / 4);
    }
  });

  test('batchWindowMs 0 sends one frame per hub flush', async () => {
    const world = await createWorld({ server: { fanout: { batchWindowMs: 0 } } });
    const client = await world.connect();
    await burst(world, 20, [world.ids.alpha!]);
    await until(() => client.seqs.at(-1) === world.engine.hub.seq, 'the burst');
    expect(client.batches).toHaveLength(20);
    expectConsecutive(client.seqs, client.hello.seq + 1);
  });

  test('a lone event is sent without a timer; one right behind it waits for the window', async () => {
    const timers = countingTimers();
    const world = await createWorld({ server: { fanout: { batchWindowMs: 10_000, pacing: { setTimer: timers.setTimer } } } });
    const client = await world.connect();
    // With a 10 s window only the first event can go out without a timer: it must not wait for one.
    world.engine.hub.publish([issue(world.ids.alpha!, 1)]);
    await until(() => client.events.length === 1, 'the lone event');
    expect(client.batches).toHaveLength(1);
    expect(timers.set).toEqual([]);
    // The next one, well inside the window, is held for the window's end.
    world.engine.hub.publish([issue(world.ids.alpha!, 2)]);
    await until(() => timers.set.length === 1, 'a timer for the second event');
    expect(timers.set[0]).toBeGreaterThan(9000);
    expect(client.events).toHaveLength(1);
  });

  test('per-project rooms get their own frames, each in seq order', async () => {
    const world = await createWorld({ projects: ['alpha', 'beta'], server: { fanout: { batchWindowMs: 10 } } });
    const everything = await world.connect();
    const onlyAlpha = await world.connect();
    await onlyAlpha.request('subscribe', { projects: [world.ids.alpha!] });
    const from = world.engine.hub.seq;
    await burst(world, 120, [world.ids.alpha!, world.ids.beta!]);
    const last = world.engine.hub.seq;
    await until(() => everything.seqs.at(-1) === last, 'everything caught up');
    await until(() => onlyAlpha.seqs.at(-1) === last - 1, 'alpha caught up (the last event is beta’s)');
    const burstOf = (seqs: number[]) => seqs.filter((seq) => seq > from);
    expectConsecutive(burstOf(everything.seqs), from + 1);
    const alphaSeqs = burstOf(onlyAlpha.seqs);
    expect(alphaSeqs).toEqual(everything.events.filter((e) => e.seq > from && projectOf(e) === world.ids.alpha).map((e) => e.seq));
    expect(onlyAlpha.events.some((e) => projectOf(e) === world.ids.beta)).toBe(false);
    expect(onlyAlpha.batches.length).toBeLessThanOrEqual(120 / 4);
  });
});

describe('large batches', () => {
  test('a batch larger than a frame may hold goes out as several frames, in seq order, none lost or repeated', async () => {
    const world = await createWorld({ server: { fanout: { maxFrameEvents: 100 } } });
    const client = await world.connect();
    const from = world.engine.hub.seq;
    // One publish of 450 events: what a mass deletion makes.
    world.engine.hub.publish(Array.from({ length: 450 }, (_, i) => issue(world.ids.alpha!, i)));
    await until(() => client.seqs.at(-1) === from + 450, 'the whole batch');
    expectConsecutive(client.seqs.filter((seq) => seq > from), from + 1);
    const sizes = client.batches.map((b) => b.length);
    expect(sizes).toEqual([100, 100, 100, 100, 50]);
  });

  test('a client that connects while a large batch is going out gets only what follows its hello, once', async () => {
    const world = await createWorld({ server: { fanout: { maxFrameEvents: 50 } } });
    const early = await world.connect();
    const from = world.engine.hub.seq;
    world.engine.hub.publish(Array.from({ length: 1000 }, (_, i) => issue(world.ids.alpha!, i)));
    const late = await world.connect();
    world.engine.hub.publish(Array.from({ length: 10 }, (_, i) => issue(world.ids.alpha!, 2000 + i)));
    const end = from + 1010;
    await until(() => early.seqs.at(-1) === end && late.seqs.at(-1) === end, 'both caught up');
    expectConsecutive(early.seqs.filter((seq) => seq > from), from + 1);
    expect(early.batches.every((b) => b.length <= 50)).toBe(true);
    expectConsecutive(late.seqs, late.hello.seq + 1);
  });
});

describe('broadcasts written in slices', () => {
  test('every client of a sliced broadcast gets every event once, in order', async () => {
    const world = await createWorld({ server: { fanout: { sliceSize: 2, batchWindowMs: 5 } } });
    const clients = [];
    for (let i = 0; i < 7; i++) clients.push(await world.connect());
    await burst(world, 150, [world.ids.alpha!]);
    const last = world.engine.hub.seq;
    for (const [i, client] of clients.entries()) {
      await until(() => client.seqs.at(-1) === last, `client ${i} caught up`);
      expectConsecutive(client.seqs, client.hello.seq + 1);
    }
  });

  test('a frame written in slices is serialized once for all of them', async () => {
    const world = await createWorld({ server: { fanout: { sliceSize: 1 } } });
    const clients: TestClient[] = [];
    for (let i = 0; i < 6; i++) clients.push(await world.connect());
    await until(() => clients.every((c) => c.hello.seq === world.engine.hub.seq), 'every client up to date');
    const target = world.engine.hub.seq + 1;
    const holdsTarget = (value: unknown): boolean => Array.isArray(value) && value.some((e) => (e as { seq?: unknown } | null)?.seq === target);
    // Whatever serializes the frame (the whole packet `["events", [...]]` or the array alone).
    const stringify = vi.spyOn(JSON, 'stringify');
    world.engine.hub.publish([issue(world.ids.alpha!, 1)]);
    for (const [i, client] of clients.entries()) await until(() => client.seqs.includes(target), `client ${i} got the event`);
    const serializations = stringify.mock.calls.filter(([value]) => holdsTarget(value) || (Array.isArray(value) && holdsTarget(value[1])));
    expect(serializations).toHaveLength(1);
  });

  test('heartbeats written in slices reach every client', async () => {
    const world = await createWorld({ server: { fanout: { sliceSize: 1 } }, engine: { heartbeatMs: 50 } });
    const clients = [];
    for (let i = 0; i < 3; i++) clients.push(await world.connect());
    for (const [i, client] of clients.entries()) await until(() => client.beats.length >= 3, `client ${i}: three beats`);
    for (const client of clients) expect(client.beats.map((b) => b.tick)).toEqual([...client.beats.map((b) => b.tick)].sort((x, y) => x - y));
  });

  test('clients that connect, resync or start over mid-stream see every event exactly once', async () => {
    // Fresh hellos as often as asked: this test restarts clients back to back.
    const world = await createWorld({ server: { fanout: { sliceSize: 1, batchWindowMs: 3 }, freshHelloIntervalMs: 0 } });
    const stream = setInterval(() => world.engine.hub.publish([issue(world.ids.alpha!, 0)]), 1);
    // Followers already in the room, so every frame is written over several turns of the loop.
    const crowd = [];
    for (let i = 0; i < 4; i++) crowd.push(await world.connect());
    const joiners = [];
    const replays: number[][] = [];
    /** Per client: where in its stream a hello from `resync` arrived, and that hello's seq. */
    const restarts: { index: number; seq: number }[][] = [];
    try {
      for (let i = 0; i < 4; i++) {
        const client = await world.connect();
        joiners.push(client);
        const sinceSeq = Math.max(0, client.hello.seq - 5);
        const reply = await client.request('resync', { sinceSeq });
        if (!reply.ok || !('events' in reply.data)) throw new Error('expected events');
        replays.push([sinceSeq, ...reply.data.events.map((e) => e.seq)]);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      // A resync from a seq the server never had (a restart) starts a follower over from a fresh
      // hello while frames from before it may still be on their way, slice by slice.
      for (const client of crowd) {
        const marks: { index: number; seq: number }[] = [];
        for (let k = 0; k < 3; k++) {
          const reply = await client.request('resync', { sinceSeq: world.engine.hub.seq + 1_000_000 });
          if (!reply.ok || !('hello' in reply.data)) throw new Error('expected a hello');
          marks.push({ index: client.events.length, seq: reply.data.hello.seq });
          await new Promise((resolve) => setTimeout(resolve, 7));
        }
        restarts.push(marks);
      }
    } finally {
      clearInterval(stream);
    }
    const last = world.engine.hub.seq;
    for (const [i, client] of joiners.entries()) {
      await until(() => client.seqs.at(-1) === last, `joiner ${i} caught up`);
      expectConsecutive(client.seqs, client.hello.seq + 1);
      const [sinceSeq, ...replayed] = replays[i]!;
      expectConsecutive(replayed, sinceSeq! + 1);
      expect(replayed.at(-1)).toBe(client.hello.seq);
    }
    for (const [i, client] of crowd.entries()) {
      await until(() => client.seqs.at(-1) === last, `crowd client ${i} caught up`);
      const marks = restarts[i]!;
      // Before the first fresh hello: consecutive from the connection's hello, never past the new hello.
      const before = client.seqs.slice(0, marks[0]!.index);
      expectConsecutive(before, client.hello.seq + 1);
      expect(before.at(-1) ?? client.hello.seq).toBeLessThanOrEqual(marks[0]!.seq);
      // After each fresh hello: consecutive from right after it, whatever was in flight.
      for (const [k, mark] of marks.entries()) {
        const next = marks[k + 1];
        const segment = client.seqs.slice(mark.index, next ? next.index : undefined);
        expectConsecutive(segment, mark.seq + 1);
        if (next) expect(segment.at(-1) ?? mark.seq).toBeLessThanOrEqual(next.seq);
      }
    }
  });
});

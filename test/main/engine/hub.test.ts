import { afterEach, describe, expect, test } from 'vitest';
import type { DomainEvent, EngineEvent } from '../../../shared/protocol';
import { Hub } from '../../../main/engine/hub';

const hubs: Hub[] = [];
function hub(options: ConstructorParameters<typeof Hub>[0] = {}): Hub {
  const h = new Hub(options);
  hubs.push(h);
  return h;
}

afterEach(() => {
  for (const h of hubs.splice(0)) h.close();
});

const running = (on: boolean): DomainEvent => ({ type: 'engine:state', payload: { running: on } });
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('hub', () => {
  test('stamps a monotonic seq and delivers in seq order, batched on the next turn', async () => {
    let clock = 1000;
    const h = hub({ now: () => clock });
    const batches: EngineEvent[][] = [];
    h.addSink({ deliver: (b) => void batches.push(b), overflow: () => undefined });

    h.publish([running(true), running(false)]);
    clock = 2000;
    h.publish([running(true)]);
    expect(batches).toEqual([]); // not synchronous: one batch per turn
    expect(h.seq).toBe(3);

    await nextTurn();
    expect(batches).toHaveLength(1);
    expect(batches[0]?.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(batches[0]?.map((e) => e.ts)).toEqual([1000, 1000, 2000]);
  });

  test('keeps a replay ring of the newest events and says when it no longer covers a client', () => {
    const h = hub({ ringSize: 5 });
    for (let i = 0; i < 8; i++) h.publish([running(i % 2 === 0)]);
    expect(h.seq).toBe(8);
    expect(h.recent(3).map((e) => e.seq)).toEqual([6, 7, 8]);
    expect(h.recent(50).map((e) => e.seq)).toEqual([4, 5, 6, 7, 8]);
    expect(h.since(8)).toEqual([]);
    expect(h.since(5)?.map((e) => e.seq)).toEqual([6, 7, 8]);
    expect(h.since(3)?.map((e) => e.seq)).toEqual([4, 5, 6, 7, 8]);
    expect(h.since(2)).toBeNull(); // event 3 has left the ring
    expect(h.since(0)).toBeNull();
  });

  test('the default ring holds the last 1000 events', () => {
    const h = hub();
    for (let i = 0; i < 1200; i++) h.publish([running(true)]);
    expect(h.recent(5000)).toHaveLength(1000);
    expect(h.since(200)).toHaveLength(1000);
    expect(h.since(199)).toBeNull();
  });

  test('a slow sink overflows and is told to resync while a fast sink gets everything', async () => {
    const h = hub({ sinkBufferLimit: 10 });
    const fast: number[] = [];
    let slowBatches = 0;
    let overflows = 0;
    let release: () => void = () => undefined;
    h.addSink({ deliver: (b) => void fast.push(...b.map((e) => e.seq)), overflow: () => undefined });
    h.addSink({
      deliver: () => {
        slowBatches += 1;
        return new Promise<void>((resolve) => (release = resolve)); // never done until released
      },
      overflow: () => void (overflows += 1),
    });

    h.publish([running(true)]);
    await nextTurn(); // the slow sink takes batch 1 and stays busy
    for (let i = 0; i < 25; i++) {
      h.publish([running(i % 2 === 0)]);
      await nextTurn();
    }
    expect(fast).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
    expect(slowBatches).toBe(1);
    expect(overflows).toBeGreaterThanOrEqual(1);

    // Once it catches up it gets only what came after its buffer was dropped.
    release();
    await nextTurn();
    await nextTurn();
    expect(slowBatches).toBe(2);
  });

  test('a sink that throws does not stop the others', async () => {
    const errors: unknown[] = [];
    const h = hub({ onSinkError: (err) => void errors.push(err) });
    const got: number[] = [];
    h.addSink({
      deliver: () => {
        throw new Error('broken sink');
      },
      overflow: () => undefined,
    });
    h.addSink({ deliver: (b) => void got.push(...b.map((e) => e.seq)), overflow: () => undefined });
    h.publish([running(true)]);
    await nextTurn();
    expect(got).toEqual([1]);
    expect(errors).toHaveLength(1);
  });

  test('a closed sink gets nothing more, and close delivers what is queued', async () => {
    const h = hub();
    const a: number[] = [];
    const b: number[] = [];
    const subA = h.addSink({ deliver: (batch) => void a.push(...batch.map((e) => e.seq)), overflow: () => undefined });
    h.addSink({ deliver: (batch) => void b.push(...batch.map((e) => e.seq)), overflow: () => undefined });
    h.publish([running(true)]);
    await nextTurn();
    subA.close();
    h.publish([running(false)]);
    h.close();
    expect(a).toEqual([1]);
    expect(b).toEqual([1, 2]);
    h.publish([running(true)]);
    await nextTurn();
    expect(b).toEqual([1, 2]);
  });
});

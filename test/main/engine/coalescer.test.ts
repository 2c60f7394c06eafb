import { afterEach, describe, expect, test } from 'vitest';
import { Coalescer, START_BUDGET_MS, type Processor } from '../../../main/engine/coalescer';

const coalescers: Coalescer[] = [];
function coalescer(quietMs: number, maxWaitMs: number, process: Processor): Coalescer {
  const c = new Coalescer({ quietMs, maxWaitMs }, process);
  coalescers.push(c);
  return c;
}

afterEach(() => {
  for (const c of coalescers.splice(0)) c.close();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('coalescer', () => {
  test('a burst of events for one path becomes one run', async () => {
    const runs: string[] = [];
    const c = coalescer(10, 100, async (key) => void runs.push(key));
    for (let i = 0; i < 50; i++) c.touch('a.md');
    await c.whenIdle();
    expect(runs).toEqual(['a.md']);
  });

  test('a run is told the longest pause between the events it covers, and the count starts over after it', async () => {
    const gaps: number[] = [];
    // A window long enough that the three events below end up in one run on a busy machine too.
    const c = coalescer(1000, 5000, async (_key, ctx) => void gaps.push(ctx.longestGapMs));
    c.touch('a.md');
    c.touch('a.md');
    await sleep(40);
    c.touch('a.md');
    await c.request('a.md');
    c.touch('a.md');
    await c.request('a.md');
    expect(gaps).toHaveLength(2);
    expect(gaps[0]).toBeGreaterThanOrEqual(39);
    // The first event after a run that left nothing pending starts a new count.
    expect(gaps[1]).toBeLessThan(39);
  });

  test("an event that says the writer is done starts the run without waiting out the window, and the run is told so", async () => {
    const told: boolean[] = [];
    // A quiet window no test waits for: only the complete event can start these runs.
    const c = coalescer(60_000, 60_000, async (_key, ctx) => void told.push(ctx.complete));
    c.touch('a.md');
    c.touch('a.md', true);
    await c.whenIdle();
    expect(told).toEqual([true]);
  });

  test('a plain event after the complete one puts the path back into its quiet window', async () => {
    const told: boolean[] = [];
    const c = coalescer(60_000, 60_000, async (_key, ctx) => void told.push(ctx.complete));
    c.touch('a.md', true);
    c.touch('a.md');
    // The window is now open; a drift repair runs it, and the newest event was not a completion.
    await c.request('a.md');
    expect(told).toEqual([false]);
  });

  test('a complete event during a run makes the next run start at once', async () => {
    const told: boolean[] = [];
    let first = true;
    const c = coalescer(60_000, 60_000, async (key, ctx) => {
      told.push(ctx.complete);
      if (first) {
        first = false;
        // The writer writes and closes again while the first read is under way.
        c.touch(key);
        c.touch(key, true);
      }
    });
    c.touch('a.md', true);
    await c.whenIdle();
    expect(told).toEqual([true, true]);
  });

  /** Counts turns of the event loop (one immediate a turn) until stopped. */
  function turnCounter(): { now: () => number; stop: () => void } {
    let turn = 0;
    let ticking = true;
    const tick = (): void => {
      turn += 1;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    return { now: () => turn, stop: () => void (ticking = false) };
  }

  /** Spends `ms` of wall time without yielding, as a read and parse does inside its start. */
  function busy(ms: number): void {
    const until = performance.now() + ms;
    while (performance.now() < until);
  }

  test('windows ending at once start as many runs a turn as fit in the budget, every one of them', async () => {
    const turns = turnCounter();
    const startsPerTurn = new Map<number, number>();
    const runs = new Set<string>();
    const costMs = 1.5;
    const c = coalescer(5, 100, async (key) => {
      startsPerTurn.set(turns.now(), (startsPerTurn.get(turns.now()) ?? 0) + 1);
      busy(costMs);
      runs.add(key);
    });
    for (let i = 0; i < 200; i++) c.touch(`tasks/task-${i}.md`);
    await c.whenIdle();
    turns.stop();
    expect(runs.size).toBe(200);
    // Each start spends at least costMs, so a turn stops once the budget is spent: a slower
    // machine only makes a turn start fewer.
    expect(Math.max(...startsPerTurn.values())).toBeLessThanOrEqual(Math.ceil(START_BUDGET_MS / costMs));
  });

  test('cheap runs share a turn: a thousand windows ending at once start in a few turns', async () => {
    const turns = turnCounter();
    const startTurns = new Set<number>();
    const runs = new Set<string>();
    const c = coalescer(5, 100, async (key) => {
      startTurns.add(turns.now());
      runs.add(key);
    });
    for (let i = 0; i < 1000; i++) c.touch(`tasks/task-${i}.md`);
    await c.whenIdle();
    turns.stop();
    expect(runs.size).toBe(1000);
    expect(startTurns.size).toBeLessThan(100);
  });

  test('a run that takes longer than the budget still lets one start a turn', async () => {
    const turns = turnCounter();
    const startsPerTurn = new Map<number, number>();
    const c = coalescer(5, 100, async () => {
      startsPerTurn.set(turns.now(), (startsPerTurn.get(turns.now()) ?? 0) + 1);
      busy(START_BUDGET_MS + 1);
    });
    for (let i = 0; i < 5; i++) c.touch(`tasks/task-${i}.md`);
    await c.whenIdle();
    turns.stop();
    expect([...startsPerTurn.values()]).toEqual([1, 1, 1, 1, 1]);
  });

  test('every project shares the one budget: coalescers whose windows end together start no more a turn than one', async () => {
    const turns = turnCounter();
    const startsPerTurn = new Map<number, number>();
    const runs = new Set<string>();
    const costMs = 1.5;
    const projects = [0, 1, 2, 3].map((p) =>
      coalescer(5, 100, async (key) => {
        startsPerTurn.set(turns.now(), (startsPerTurn.get(turns.now()) ?? 0) + 1);
        busy(costMs);
        runs.add(`${p}/${key}`);
      }),
    );
    for (let i = 0; i < 30; i++) for (const c of projects) c.touch(`tasks/task-${i}.md`);
    await Promise.all(projects.map((c) => c.whenIdle()));
    turns.stop();
    expect(runs.size).toBe(120);
    expect(Math.max(...startsPerTurn.values())).toBeLessThanOrEqual(Math.ceil(START_BUDGET_MS / costMs));
  });

  test('paths are independent', async () => {
    const runs: string[] = [];
    const c = coalescer(10, 100, async (key) => void runs.push(key));
    c.touch('a.md');
    c.touch('b.md');
    c.touch('a.md');
    await c.whenIdle();
    expect(runs.sort()).toEqual(['a.md', 'b.md']);
  });

  test('a lone event is handled after the quiet window, not later', async () => {
    let ranAt = 0;
    const c = coalescer(10, 100, async () => void (ranAt = performance.now()));
    const touchedAt = performance.now();
    c.touch('a.md');
    await c.whenIdle();
    expect(ranAt - touchedAt).toBeGreaterThanOrEqual(9);
  });

  test('a path rewritten without pause is still handled every max-wait', async () => {
    const runs: number[] = [];
    const c = coalescer(20, 60, async () => void runs.push(performance.now()));
    const until = performance.now() + 400;
    while (performance.now() < until) {
      c.touch('a.md');
      await sleep(5);
    }
    await c.whenIdle();
    // 400 ms of events 5 ms apart never leave a 20 ms quiet window: only max-wait fires.
    expect(runs.length).toBeGreaterThanOrEqual(3);
  });

  test('an event during a run makes it run again afterwards, never concurrently', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    let c: Coalescer | null = null;
    c = coalescer(5, 50, async () => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      runs += 1;
      if (runs === 1) c?.touch('a.md'); // a write lands while we read
      await sleep(20);
      active -= 1;
    });
    c.touch('a.md');
    await sleep(1);
    await c.whenIdle();
    expect(runs).toBe(2);
    expect(maxActive).toBe(1);
  });

  test('the processor can ask for a retry, and a new event replaces it', async () => {
    const runs: number[] = [];
    const c = coalescer(5, 50, async (_key, ctx) => {
      runs.push(ctx.lastEventAt);
      return runs.length === 1 ? { retryInMs: 30 } : undefined;
    });
    c.touch('a.md');
    await c.whenIdle();
    expect(runs).toHaveLength(2);
    expect(runs[0]).toBe(runs[1]); // no new event: same lastEventAt, it was a retry

    runs.length = 0;
    const d = coalescer(5, 50, async () => {
      runs.push(performance.now());
      return runs.length === 1 ? { retryInMs: 10_000 } : undefined;
    });
    d.touch('b.md');
    await sleep(30);
    d.touch('b.md'); // replaces the 10 s retry
    await d.whenIdle();
    expect(runs).toHaveLength(2);
  });

  test('request() runs a path now and resolves when it is done', async () => {
    const runs: string[] = [];
    const c = coalescer(1000, 5000, async (key) => void runs.push(key));
    const started = performance.now();
    await c.request('a.md');
    expect(runs).toEqual(['a.md']);
    expect(performance.now() - started).toBeLessThan(900);
  });

  test('a processor that throws is reported and the path is released', async () => {
    const errors: unknown[] = [];
    const c = new Coalescer({ quietMs: 1, maxWaitMs: 10 }, async () => {
      throw new Error('boom');
    }, (_key, err) => void errors.push(err));
    coalescers.push(c);
    c.touch('a.md');
    await c.whenIdle();
    expect(errors).toHaveLength(1);
    expect(c.pending).toBe(0);
  });
});

import { afterEach, describe, expect, test, vi } from 'vitest';
import type { Heartbeat } from '../../../shared/model';
import { HeartbeatLoop, SERIES_LENGTH, percentile } from '../../../main/engine/heartbeat';

const loops: HeartbeatLoop[] = [];
function loop(options: ConstructorParameters<typeof HeartbeatLoop>[0]): HeartbeatLoop {
  const l = new HeartbeatLoop(options);
  loops.push(l);
  return l;
}

afterEach(() => {
  for (const l of loops.splice(0)) l.close();
  vi.useRealTimers();
});

function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Block the event loop on purpose.
  }
}

function beats(l: HeartbeatLoop, count: number): Promise<Heartbeat[]> {
  return new Promise((resolve) => {
    const seen: Heartbeat[] = [];
    const sub = l.onBeat((beat) => {
      seen.push(beat);
      if (seen.length === count) {
        sub.close();
        resolve(seen);
      }
    });
  });
}

describe('HeartbeatLoop', () => {
  test('counts ticks and runs the work once per tick', async () => {
    let worked = 0;
    const l = loop({ intervalMs: 10, work: () => void worked++, now: () => 42 });
    expect(l.running).toBe(false);
    l.start();
    expect(l.running).toBe(true);
    const seen = await beats(l, 3);
    expect(seen.map((b) => b.tick)).toEqual([1, 2, 3]);
    expect(seen.every((b) => b.running && b.ts === 42)).toBe(true);
    expect(worked).toBeGreaterThanOrEqual(3);
    expect(l.tick).toBe(worked);
  });

  test('stop halts ticking and start resumes counting where it left off', async () => {
    const l = loop({ intervalMs: 10, work: () => undefined });
    l.start();
    await beats(l, 2);
    l.stop();
    expect(l.running).toBe(false);
    const stoppedAt = l.tick;
    await new Promise((r) => setTimeout(r, 50));
    expect(l.tick).toBe(stoppedAt);
    expect(l.latest?.running).toBe(false);
    l.start();
    const [next] = await beats(l, 1);
    expect(next?.tick).toBe(stoppedAt + 1);
  });

  test('records how long the work of a tick took', async () => {
    const l = loop({ intervalMs: 10, work: () => busyWait(15) });
    l.start();
    const [beat] = await beats(l, 1);
    expect(beat?.latencyMs).toBeGreaterThanOrEqual(14);
    expect(l.latencyPercentiles().p50).toBeGreaterThanOrEqual(14);
  });

  test('records event-loop drift when something else blocks the loop', async () => {
    const l = loop({ intervalMs: 40, work: () => undefined });
    l.start();
    // Due at 40 ms; the loop is blocked from ~5 ms to ~85 ms, so the tick fires ~45 ms late.
    setTimeout(() => busyWait(80), 5);
    const [beat] = await beats(l, 1);
    expect(beat?.driftMs).toBeGreaterThanOrEqual(30);
    expect(l.driftPercentiles().p99).toBeGreaterThanOrEqual(30);
  });

  test('a tick that throws is reported and the loop keeps going', async () => {
    const errors: unknown[] = [];
    let n = 0;
    const l = loop({
      intervalMs: 5,
      work: () => {
        n += 1;
        if (n === 1) throw new Error('health check blew up');
      },
      onError: (err) => errors.push(err),
    });
    l.start();
    const seen = await beats(l, 2);
    expect(seen.map((b) => b.tick)).toEqual([1, 2]);
    expect(errors).toHaveLength(1);
    expect(l.lastError).toBe('health check blew up');
  });

  test('a listener that throws does not stop the other listeners', async () => {
    const l = loop({ intervalMs: 5, work: () => undefined, onError: () => undefined });
    l.onBeat(() => {
      throw new Error('bad listener');
    });
    l.start();
    const seen = await beats(l, 2);
    expect(seen).toHaveLength(2);
  });

  test('the series keeps only the last beats', async () => {
    const l = loop({ intervalMs: 1, work: () => undefined });
    l.start();
    await beats(l, SERIES_LENGTH + 5);
    const series = l.series();
    expect(series).toHaveLength(SERIES_LENGTH);
    expect(series.at(-1)?.tick).toBe(l.tick);
    expect(series[0]?.tick).toBe(l.tick - SERIES_LENGTH + 1);
  });

  test('setIntervalMs changes the pace of a running loop', async () => {
    const l = loop({ intervalMs: 10_000, work: () => undefined });
    l.start();
    l.setIntervalMs(5);
    const seen = await beats(l, 2);
    expect(seen).toHaveLength(2);
    expect(() => l.setIntervalMs(0)).toThrow(/positive/);
  });

  test('close leaves no timer behind and the loop cannot be restarted', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const l = loop({ intervalMs: 1000, work: () => undefined });
    l.start();
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(3000);
    expect(l.tick).toBeGreaterThanOrEqual(2);
    expect(vi.getTimerCount()).toBe(1);
    l.close();
    expect(vi.getTimerCount()).toBe(0);
    expect(l.running).toBe(false);
    expect(() => l.start()).toThrow(/closed/);
  });

  test('its timer never keeps the process alive on its own', () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const l = loop({ intervalMs: 60_000, work: () => undefined });
    l.start();
    const during = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    expect(during).toBe(before);
  });
});

describe('percentile', () => {
  test('nearest rank, null when empty', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([5], 99)).toBe(5);
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
  });
});

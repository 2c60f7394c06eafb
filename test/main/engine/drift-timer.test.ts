import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { DriftTimer, MAX_SWEEP_GAP_MS, SWEEP_CPU_SHARE } from '../../../main/engine/drift';

describe('when the drift sweep runs', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A sweep that "costs" `costMs` of CPU, on a CPU clock the test owns. */
  function sweeper(costMs: () => number) {
    let cpu = 0;
    const at: number[] = [];
    const sweep = async (): Promise<void> => {
      at.push(Date.now());
      cpu += costMs();
    };
    return { sweep, at, cpuMs: () => cpu };
  }

  test('an interval someone chose is kept, however much a sweep costs', async () => {
    const s = sweeper(() => 5_000);
    const timer = new DriftTimer(1000, s.sweep, undefined, { cpuMs: s.cpuMs });
    const start = Date.now();
    timer.start();
    await vi.advanceTimersByTimeAsync(3_500);
    expect(s.at.map((t) => t - start)).toEqual([1000, 2000, 3000]);
    await timer.close();
  });

  test('by default a sweep that costs more CPU than its share pushes the next one out, up to a limit', async () => {
    const costs = [100, 10_000, 1];
    const s = sweeper(() => costs.shift() ?? 1);
    const timer = new DriftTimer(30_000, s.sweep, undefined, { adaptive: true, cpuMs: s.cpuMs });
    const start = Date.now();
    timer.start();
    await vi.advanceTimersByTimeAsync(30_000 + 100 / SWEEP_CPU_SHARE + MAX_SWEEP_GAP_MS + 30_000);
    // 100 ms of CPU → 50 s until the next; 10 s of CPU → the 10-minute limit; then cheap again.
    expect(s.at.map((t) => t - start)).toEqual([30_000, 30_000 + 50_000, 30_000 + 50_000 + MAX_SWEEP_GAP_MS, 30_000 + 50_000 + MAX_SWEEP_GAP_MS + 30_000]);
    await timer.close();
  });

  test('the first sweep waits as long as what loading the projects cost allows', async () => {
    const s = sweeper(() => 1);
    const timer = new DriftTimer(30_000, s.sweep, undefined, { adaptive: true, cpuMs: s.cpuMs });
    timer.expectCost(400);
    expect(timer.gapMs).toBe(400 / SWEEP_CPU_SHARE);
    timer.expectCost(10);
    expect(timer.gapMs).toBe(30_000);
    await timer.close();
  });
});

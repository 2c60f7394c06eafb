import { describe, expect, test } from 'vitest';
import { StartQueue } from '../../../main/engine/start-queue';

/** A clock that moves only when a start spends time. */
function clock(): { now: () => number; spend: (ms: number) => void } {
  let t = 0;
  return { now: () => t, spend: (ms) => void (t += ms) };
}

/** Resolves on a later turn of the event loop than every start queued so far. */
function turnsLater(n: number): Promise<void> {
  return new Promise((resolve) => {
    const step = (left: number): void => void (left === 0 ? resolve() : setImmediate(() => step(left - 1)));
    step(n);
  });
}

describe('start queue', () => {
  test('starts in the order queued, as many a turn as fit in the budget', async () => {
    const time = clock();
    const queue = new StartQueue(4, time.now);
    const turns: number[][] = [];
    let turn = -1;
    let seen = -1;
    const marker = (): void => {
      turn += 1;
      if (queue.length > 0) setImmediate(marker);
    };
    setImmediate(marker);
    for (let i = 0; i < 10; i++) {
      queue.push(() => {
        if (turn !== seen) turns.push([]);
        seen = turn;
        turns.at(-1)!.push(i);
        time.spend(1.5);
        return true;
      });
    }
    await turnsLater(12);
    // 0 → 1.5 → 3 → 4.5: three starts fit in a 4 ms turn, the fourth waits for the next.
    expect(turns).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
    expect(queue.length).toBe(0);
  });

  test('a start longer than the budget still lets one start a turn', async () => {
    const time = clock();
    const queue = new StartQueue(4, time.now);
    const started: number[] = [];
    for (let i = 0; i < 3; i++) {
      queue.push(() => {
        started.push(i);
        time.spend(10);
        return true;
      });
    }
    await turnsLater(1);
    expect(started).toEqual([0]);
    await turnsLater(1);
    expect(started).toEqual([0, 1]);
    await turnsLater(1);
    expect(started).toEqual([0, 1, 2]);
  });

  test('stale entries cost nothing: the first real start behind them still goes on the same turn', async () => {
    const time = clock();
    const queue = new StartQueue(4, time.now);
    const started: string[] = [];
    for (let i = 0; i < 5000; i++) queue.push(() => false);
    queue.push(() => {
      started.push('real');
      time.spend(10);
      return true;
    });
    queue.push(() => {
      started.push('next');
      return true;
    });
    await turnsLater(1);
    expect(started).toEqual(['real']);
    await turnsLater(1);
    expect(started).toEqual(['real', 'next']);
    expect(queue.length).toBe(0);
  });
});

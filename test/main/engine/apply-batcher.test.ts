import { describe, expect, test } from 'vitest';
import { ApplyBatcher } from '../../../main/engine/apply-batcher';
import type { FileChange } from '../../../main/engine/project-model';

const removed: FileChange = { kind: 'removed' };

describe('ApplyBatcher', () => {
  test('changes queued in one turn are applied together, in order, and each add resolves after its apply', async () => {
    const applied: string[][] = [];
    const batcher = new ApplyBatcher((changes) => applied.push(changes.map(([rel]) => rel)));
    const done = ['a', 'b', 'c'].map((rel) => batcher.add(rel, removed));
    expect(applied).toEqual([]);
    await Promise.all(done);
    expect(applied).toEqual([['a', 'b', 'c']]);
    await batcher.add('d', removed);
    expect(applied).toEqual([['a', 'b', 'c'], ['d']]);
  });

  test('after a costly apply, the next one waits at least twice as long, so applies take at most a third of the time', async () => {
    const spans: [number, number][] = [];
    let cost = 30;
    const batcher = new ApplyBatcher(() => {
      const started = performance.now();
      while (performance.now() < started + cost) {
        // a derive over many items
      }
      spans.push([started, performance.now()]);
      cost = 0;
    });
    await batcher.add('first', removed);
    const later = Array.from({ length: 50 }, (_, i) => batcher.add(`f${i}`, removed));
    await Promise.all(later);
    expect(spans).toHaveLength(2);
    const [[firstStart, firstEnd], [secondStart]] = spans as [[number, number], [number, number]];
    expect(secondStart - firstEnd).toBeGreaterThanOrEqual(2 * (firstEnd - firstStart) - 1);
  });

  test('dispose drops what is queued and resolves its waiters', async () => {
    const applied: number[] = [];
    const batcher = new ApplyBatcher((changes) => applied.push(changes.length));
    const pending = batcher.add('x', removed);
    batcher.close();
    await pending;
    expect(applied).toEqual([]);
    await batcher.add('y', removed);
    expect(applied).toEqual([]);
  });
});

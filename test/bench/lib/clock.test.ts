import { describe, expect, it } from 'vitest';
import { nowMs, waitFor, WallOffset } from './clock';

describe('WallOffset', () => {
  it('turns the monotonic clock into the wall clock to well under a millisecond', () => {
    const offset = new WallOffset();
    // Date.now() rounds down: right after it ticks, the wall clock is that whole ms. The best of
    // a few tries, so that being descheduled between two lines on a busy machine does not count.
    let best = Infinity;
    for (let i = 0; i < 20; i++) {
      const start = Date.now();
      let wall = start;
      while (wall === start) wall = Date.now();
      best = Math.min(best, Math.abs(nowMs() + offset.get() - wall));
    }
    expect(best).toBeLessThan(0.3);
  });

  it('follows the wall clock when it is stepped while the bench runs', async () => {
    let step = 0;
    const offset = new WallOffset(() => Date.now() + step);
    const before = offset.get();
    step = 80;
    // Readings are checked at most once per ms of monotonic time.
    const started = nowMs();
    expect(await waitFor(() => nowMs() - started > 2, 1000, 1)).toBe(true);
    expect(offset.get() - before).toBeGreaterThan(75);
    expect(offset.get() - before).toBeLessThan(85);
    step = -300;
    const again = nowMs();
    expect(await waitFor(() => nowMs() - again > 2, 1000, 1)).toBe(true);
    expect(offset.get() - before).toBeGreaterThan(-305);
    expect(offset.get() - before).toBeLessThan(-295);
  });
});

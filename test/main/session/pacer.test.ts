// The fan-out's pacing and slicing, driven by a hand-moved clock and hand-fired timers: the
// assertions are about what runs when (synchronously, after which timer), never about real time.
import { describe, expect, test } from 'vitest';
import { Pacer } from '../../../main/session/pacer';
import { fixedSlices, LearnedSliceSize, sendInSlices } from '../../../main/session/slices';

/** A clock and a timer list the test moves by hand. */
function fakeTime() {
  let now = 1000;
  const timers: { at: number; fn: () => void; cancelled: boolean }[] = [];
  return {
    timers,
    now: () => now,
    setTimer(fn: () => void, ms: number) {
      const timer = { at: now + ms, fn, cancelled: false };
      timers.push(timer);
      return () => {
        timer.cancelled = true;
      };
    },
    /** Move the clock and fire the timers that are due, in order. */
    advance(ms: number) {
      now += ms;
      for (const timer of timers.filter((t) => !t.cancelled && t.at <= now).sort((a, b) => a.at - b.at)) {
        timer.cancelled = true;
        timer.fn();
      }
    },
    pending: () => timers.filter((t) => !t.cancelled),
  };
}

describe('Pacer', () => {
  test('a lone request runs at once, in the caller, with no timer', () => {
    const time = fakeTime();
    const runs: number[] = [];
    const pacer = new Pacer((done) => (runs.push(time.now()), done()), { windowMs: 10, now: time.now, setTimer: time.setTimer });
    pacer.request();
    expect(runs).toEqual([1000]);
    expect(time.timers).toHaveLength(0);
    // Long after: at once again.
    time.advance(50);
    pacer.request();
    expect(runs).toEqual([1000, 1050]);
    expect(time.timers).toHaveLength(0);
  });

  test('requests within the window share one run at its end', () => {
    const time = fakeTime();
    const runs: number[] = [];
    const pacer = new Pacer((done) => (runs.push(time.now()), done()), { windowMs: 10, now: time.now, setTimer: time.setTimer });
    pacer.request(); // at once
    time.advance(2);
    pacer.request();
    time.advance(3);
    pacer.request();
    pacer.request();
    expect(runs).toEqual([1000]);
    expect(time.pending()).toHaveLength(1);
    expect(time.pending()[0]!.at).toBe(1010);
    time.advance(5);
    expect(runs).toEqual([1000, 1010]);
    // Nothing new came: no further run, no timer.
    time.advance(100);
    expect(runs).toEqual([1000, 1010]);
    expect(time.pending()).toHaveLength(0);
  });

  test('a run that finishes later holds the next one back until it is done', () => {
    const time = fakeTime();
    const runs: number[] = [];
    const dones: (() => void)[] = [];
    const pacer = new Pacer((done) => (runs.push(time.now()), dones.push(done)), { windowMs: 10, now: time.now, setTimer: time.setTimer });
    pacer.request();
    time.advance(30);
    pacer.request(); // the first run is still sending
    expect(runs).toEqual([1000]);
    expect(time.pending()).toHaveLength(0);
    dones[0]!(); // its window is long over: the waiting request runs at once
    expect(runs).toEqual([1000, 1030]);
    pacer.request();
    dones[1]!(); // within the window of the second run: wait for its end
    expect(runs).toEqual([1000, 1030]);
    time.advance(10);
    expect(runs).toEqual([1000, 1030, 1040]);
    dones[1]!(); // a second call of the same done changes nothing
    expect(runs).toHaveLength(3);
  });

  test('window 0 runs every request at once', () => {
    const time = fakeTime();
    let runs = 0;
    const pacer = new Pacer((done) => (runs++, done()), { windowMs: 0, now: time.now, setTimer: time.setTimer });
    for (let i = 0; i < 5; i++) pacer.request();
    expect(runs).toBe(5);
    expect(time.timers).toHaveLength(0);
  });

  test('close cancels a waiting run', () => {
    const time = fakeTime();
    let runs = 0;
    const pacer = new Pacer((done) => (runs++, done()), { windowMs: 10, now: time.now, setTimer: time.setTimer });
    pacer.request();
    pacer.request();
    pacer.close();
    time.advance(20);
    pacer.request();
    expect(runs).toBe(1);
  });

  test('a run that throws does not stop the pacer', () => {
    const time = fakeTime();
    let runs = 0;
    const pacer = new Pacer(
      (done) => {
        runs++;
        if (runs === 1) throw new Error('boom');
        done();
      },
      { windowMs: 10, now: time.now, setTimer: time.setTimer },
    );
    expect(() => pacer.request()).toThrow('boom');
    time.advance(20);
    pacer.request();
    expect(runs).toBe(2);
  });
});

describe('sendInSlices', () => {
  const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  const turn = () => new Promise((resolve) => setImmediate(resolve));

  test('the first slice goes out at once, the rest one per turn of the loop, in order', async () => {
    const sent: string[][] = [];
    let done = 0;
    sendInSlices(
      [
        { ids: ids('a', 5), send: (slice) => sent.push(slice) },
        { ids: ids('b', 2), send: (slice) => sent.push(slice) },
      ],
      fixedSlices(3),
      () => done++,
    );
    expect(sent).toEqual([['a0', 'a1', 'a2']]);
    expect(done).toBe(0);
    await turn();
    expect(sent).toEqual([['a0', 'a1', 'a2'], ['a3', 'a4'], ['b0']]);
    await turn();
    expect(sent.at(-1)).toEqual(['b1']);
    expect(sent.flat()).toEqual([...ids('a', 5), ...ids('b', 2)]);
    expect(done).toBe(1);
    await turn();
    expect(done).toBe(1);
  });

  test('what fits in one slice is sent, and done, synchronously', () => {
    const sent: string[][] = [];
    let done = 0;
    sendInSlices([{ ids: ids('a', 2), send: (slice) => sent.push(slice) }, { ids: [], send: (slice) => sent.push(slice) }], fixedSlices(100), () => done++);
    expect(sent).toEqual([['a0', 'a1']]);
    expect(done).toBe(1);
  });

  test('cancel stops the remaining slices', async () => {
    const sent: string[][] = [];
    let done = 0;
    const slicing = sendInSlices([{ ids: ids('a', 6), send: (slice) => sent.push(slice) }], fixedSlices(2), () => done++);
    await turn();
    slicing.cancel();
    await turn();
    await turn();
    expect(sent).toEqual([['a0', 'a1'], ['a2', 'a3']]);
    expect(done).toBe(0);
  });

  test('learned slices settle at what the machine writes in the budget, and follow it when it slows down', async () => {
    // A clock that advances by the cost of each socket written: 20 µs, later 50 µs.
    let clock = 0;
    let costMs = 0.02;
    const size = new LearnedSliceSize(1, 100);
    const sizes: number[] = [];
    const frame = () =>
      new Promise<void>((resolve) =>
        sendInSlices(
          [{ ids: ids('s', 500), send: (slice) => void (clock += slice.length * costMs) }],
          { next: () => (sizes.push(size.next()), size.next()), took: (count, ms) => size.took(count, ms) },
          resolve,
          () => clock,
        ),
      );
    for (let i = 0; i < 5; i++) await frame();
    expect(size.next()).toBeGreaterThanOrEqual(48);
    expect(size.next()).toBeLessThanOrEqual(52);
    costMs = 0.05;
    for (let i = 0; i < 3; i++) await frame();
    expect(size.next()).toBeGreaterThanOrEqual(19);
    expect(size.next()).toBeLessThanOrEqual(22);
    expect(sizes[0]).toBe(100);
  });

  test('learned slices stay within bounds', () => {
    const size = new LearnedSliceSize(1, 100);
    for (let i = 0; i < 50; i++) size.took(100, 0);
    expect(size.next()).toBe(LearnedSliceSize.MAX);
    for (let i = 0; i < 50; i++) size.took(10, 100);
    expect(size.next()).toBe(LearnedSliceSize.MIN);
  });
});

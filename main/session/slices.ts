// A broadcast to many sockets, cut into slices: writing one frame to 500 sockets holds the
// event loop for milliseconds, and file events, the hub's flush and heartbeat ticks wait behind
// it. The first slice goes out at once; each next one on a later turn of the loop
// (setImmediate), so I/O and timers run in between.
//
// How many sockets make a slice is learned: as many as this machine writes in about a
// millisecond right now. A socket write to a busy loopback costs 5–30 µs here depending on the
// load, so a fixed count either holds the loop too long when the machine is busy (the engine's
// reads wait behind every slice) or splits frames needlessly when it is not.

/** One message and the sockets that get it. */
export interface SliceGroup {
  ids: readonly string[];
  /** Write the message to these sockets (a part of `ids`, in order). */
  send(ids: string[]): void;
}

export interface Slicing {
  /** Stop: no further slice is sent and `done` is not called. */
  cancel(): void;
}

/** How many sockets the next slice holds, and what the last one cost. */
export interface SliceSize {
  next(): number;
  /** `count` sockets were written in `ms`. */
  took?(count: number, ms: number): void;
}

/** Always `count` sockets per slice (tests; a caller that knows better). */
export function fixedSlices(count: number): SliceSize {
  const size = Math.max(1, Math.floor(count));
  return { next: () => size };
}

/** Slices sized to about `budgetMs` of writing, from the rate the recent slices were written at. */
export class LearnedSliceSize implements SliceSize {
  static readonly MIN = 10;
  static readonly MAX = 1000;
  /** Sockets written per ms, smoothed over the recent slices. */
  private perMs: number;

  constructor(
    private readonly budgetMs = 1,
    initial = 100,
  ) {
    this.perMs = initial / budgetMs;
  }

  next(): number {
    return Math.min(LearnedSliceSize.MAX, Math.max(LearnedSliceSize.MIN, Math.round(this.perMs * this.budgetMs)));
  }

  took(count: number, ms: number): void {
    // A slice of a few sockets says little about the rate (timer resolution, one slow write).
    if (count < LearnedSliceSize.MIN) return;
    const rate = count / Math.max(ms, 0.01);
    this.perMs = 0.7 * this.perMs + 0.3 * rate;
  }
}

/**
 * Send every group to its sockets, `size.next()` sockets per turn of the event loop, groups in
 * order. `done` runs after the last slice (synchronously when everything fits in the first).
 */
export function sendInSlices(groups: readonly SliceGroup[], size: SliceSize, done: () => void, now: () => number = () => performance.now()): Slicing {
  let group = 0;
  let offset = 0;
  let cancelled = false;
  let immediate: NodeJS.Immediate | null = null;

  const step = (): void => {
    immediate = null;
    const perTurn = Math.max(1, Math.floor(size.next()));
    let budget = perTurn;
    const started = now();
    while (group < groups.length && budget > 0) {
      const { ids, send } = groups[group]!;
      const slice = ids.slice(offset, offset + budget);
      offset += slice.length;
      budget -= slice.length;
      if (offset >= ids.length) {
        group += 1;
        offset = 0;
      }
      if (slice.length > 0) send(slice);
      if (cancelled) return;
    }
    size.took?.(perTurn - budget, now() - started);
    if (group < groups.length) immediate = setImmediate(step);
    else done();
  };

  step();
  return {
    cancel() {
      cancelled = true;
      if (immediate) clearImmediate(immediate);
      immediate = null;
    },
  };
}

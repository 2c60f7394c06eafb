// A broadcast to many sockets, cut into slices: writing one frame to 500 sockets holds the
// event loop for milliseconds, and file events, the hub's flush and heartbeat ticks wait behind
// it. The first slice goes out at once; each next one on a later turn of the loop
// (setImmediate), so I/O and timers run in between.

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

/**
 * Send every group to its sockets, at most `size` sockets per turn of the event loop, groups
 * in order. `done` runs after the last slice (synchronously when everything fits in the first).
 */
export function sendInSlices(groups: readonly SliceGroup[], size: number, done: () => void): Slicing {
  const perTurn = Math.max(1, Math.floor(size));
  let group = 0;
  let offset = 0;
  let cancelled = false;
  let immediate: NodeJS.Immediate | null = null;

  const step = (): void => {
    immediate = null;
    let budget = perTurn;
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

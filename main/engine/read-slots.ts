// How many files Vigil opens at once for its own reads. A burst of thousands of files (a branch
// switch, a generator) would otherwise open thousands of handles together — each waits its
// turn in libuv's thread pool while holding a descriptor — and run the process out of them
// (EMFILE), starving the server's sockets and the log tails. A small fixed number of slots
// keeps the disk busy and leaves the rest of the descriptors to everything else.

/** Reads in flight at once, across every project. */
export const READ_SLOTS = 32;

export class Slots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {}

  /** Run `work` once a slot is free; the slot is released when it settles. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `active` never drops and rises again.
      if (next) next();
      else this.active -= 1;
    }
  }

  /** Slots taken right now (for tests and diagnostics). */
  get inUse(): number {
    return this.active;
  }
}

/** The one pool every project's file reads share. */
export const readSlots = new Slots(READ_SLOTS);

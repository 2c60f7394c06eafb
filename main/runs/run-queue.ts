// Who starts next. One FIFO queue with two limits: runs at once overall, and runs at once per
// lane — a project (default one at a time: two agents in one checkout trip over each other),
// or a batch (its own concurrency). A run whose lane is full waits without holding up runs of
// other lanes behind it. Pure: counts in, run ids out.

export interface QueueEntry {
  runId: string;
  /** `project:<id>` or `batch:<id>`. */
  lane: string;
  laneLimit: number;
}

export class RunQueue {
  private entries: QueueEntry[] = [];

  get length(): number {
    return this.entries.length;
  }

  push(entry: QueueEntry): void {
    this.entries.push(entry);
  }

  /** Put a run back at the head (a start that could not go ahead yet). */
  unshift(entry: QueueEntry): void {
    this.entries.unshift(entry);
  }

  remove(runId: string): boolean {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => e.runId !== runId);
    return this.entries.length !== before;
  }

  has(runId: string): boolean {
    return this.entries.some((e) => e.runId === runId);
  }

  /**
   * Take out the runs that may start now, in queue order. `running` counts what runs per
   * lane; `globalRoom` is how many more may run overall.
   */
  takeStartable(running: ReadonlyMap<string, number>, globalRoom: number): QueueEntry[] {
    const taken: QueueEntry[] = [];
    const inLane = new Map(running);
    const kept: QueueEntry[] = [];
    for (const entry of this.entries) {
      const busy = inLane.get(entry.lane) ?? 0;
      if (taken.length < globalRoom && busy < entry.laneLimit) {
        taken.push(entry);
        inLane.set(entry.lane, busy + 1);
      } else {
        kept.push(entry);
      }
    }
    this.entries = kept;
    return taken;
  }

  /** 1-based places in the queue, by run id. */
  positions(): Map<string, number> {
    return new Map(this.entries.map((e, i) => [e.runId, i + 1]));
  }
}

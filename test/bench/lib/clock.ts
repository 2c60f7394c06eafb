// One clock for every process of a bench. process.hrtime reads CLOCK_MONOTONIC, which the
// kernel shares between processes, so a time taken in the writer process and a time taken in
// the client process can be subtracted (Date.now() is wall-clock and only ms-precise).
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * The wall clock servers stamp their events with (Date.now()) minus this process's monotonic
 * clock (nowMs). It is not a constant while a bench runs: the machine's time service steps
 * or slews the wall clock (a step of about 70 ms was seen mid-pass; with one offset taken at
 * process start it read as hub stamp → client -57 ms).
 * So each reading is checked against a coarse one (Date.now() - nowMs(), whole ms) at most once
 * per ms, and measured again when they disagree; a measurement waits for Date.now() to tick
 * (at most 1 ms), which makes it sub-ms precise.
 */
export class WallOffset {
  private offset: number;
  private checkedAt = -Infinity;

  /** `wallNow`: the wall clock in whole ms (Date.now; a test passes one it can step). */
  constructor(private readonly wallNow: () => number = Date.now) {
    this.offset = measureWallOffset(wallNow);
  }

  /** wall − monotonic, in ms, as it is now (`mono`: nowMs() just read, if the caller has it). */
  get(mono = nowMs()): number {
    if (mono - this.checkedAt < 1) return this.offset;
    this.checkedAt = mono;
    // Date.now() is the wall clock rounded down: the true offset lies in [coarse, coarse + 1).
    const coarse = this.wallNow() - nowMs();
    if (this.offset < coarse - 0.25 || this.offset > coarse + 1.25) this.offset = measureWallOffset(this.wallNow);
    return this.offset;
  }
}

function measureWallOffset(wallNow: () => number): number {
  const start = wallNow();
  let wall = start;
  let mono = 0;
  while (wall === start) {
    wall = wallNow();
    mono = nowMs();
  }
  return wall - mono;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Wait until `test()` holds, polling every `everyMs`; false when `timeoutMs` passes first. */
export async function waitFor(test: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 10): Promise<boolean> {
  const deadline = nowMs() + timeoutMs;
  while (nowMs() < deadline) {
    if (await test()) return true;
    await sleep(everyMs);
  }
  return await test();
}

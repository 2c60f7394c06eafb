// The simulated agent: every one to two seconds it advances one project (ticking a task,
// moving a status, archiving a change, failing a work order now and then) and writes the
// result to disk, so Vigil has something real to watch.
import type { StepContext } from './project';
import type { Random } from './random';
import type { DemoEntry } from './workspace';

export interface AgentOptions {
  random: Random;
  minDelayMs?: number;
  maxDelayMs?: number;
  now?: () => Date;
  /** Each step's summary, e.g. for `vigil demo --verbose`. */
  onStep?: (summary: string) => void;
  onError?: (err: unknown) => void;
}

export class SimulatedAgent {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = true;
  private steps = 0;

  constructor(
    private readonly entries: DemoEntry[],
    private readonly options: AgentOptions,
  ) {}

  get stepCount(): number {
    return this.steps;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  /** Stop, waiting for a step that is writing files right now. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One step: advance a project picked at random (another if it had nothing to do), write it. */
  async step(): Promise<string | null> {
    const ctx: StepContext = { random: this.options.random, now: (this.options.now ?? (() => new Date()))() };
    const start = Math.floor(ctx.random() * this.entries.length);
    let summary: string | null = null;
    for (let i = 0; i < this.entries.length && summary === null; i++) {
      const entry = this.entries[(start + i) % this.entries.length]!;
      const result = entry.project.step(ctx);
      if (result) {
        await entry.writer.sync(entry.project.files());
        summary = result.summary;
      }
    }
    for (const entry of this.entries) {
      for (const log of entry.project.drainLogLines?.(ctx) ?? []) await entry.writer.append(log.path, log.lines);
    }
    this.steps += 1;
    if (summary) this.options.onStep?.(summary);
    return summary;
  }

  private schedule(): void {
    if (this.stopped) return;
    const min = this.options.minDelayMs ?? 1000;
    const max = this.options.maxDelayMs ?? 2000;
    const delay = min + this.options.random() * Math.max(0, max - min);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.step()
        .catch((err: unknown) => this.options.onError?.(err))
        .finally(() => {
          this.running = null;
          this.schedule();
        });
    }, delay);
  }
}

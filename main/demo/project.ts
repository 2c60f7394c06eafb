// One simulated project: an in-memory model of what a tool would keep on disk, rendered to
// files. The agent steps the model; the writer puts the difference on disk.
import type { SourceId } from '../../shared/model';
import type { Random } from './random';

export interface StepContext {
  random: Random;
  now: Date;
}

export interface StepResult {
  /** What happened, in a few words (printed by `vigil demo --verbose`, written to logs). */
  summary: string;
}

export interface DemoProject {
  /** The project folder's name. */
  readonly name: string;
  readonly convention: SourceId;
  /** Every file this project has now, root-relative with forward slashes → content. */
  files(): Record<string, string>;
  /** Advance the work by one step; null when there was nothing to do this time. */
  step(ctx: StepContext): StepResult | null;
  /** Lines to append to logs since the last call (append-only files are never rewritten). */
  drainLogLines?(ctx: StepContext): { path: string; lines: string[] }[];
}

export const isoDate = (d: Date): string => d.toISOString().slice(0, 10);

/** `[x]` or `[ ]`. */
export const box = (done: boolean): string => (done ? '[x]' : '[ ]');

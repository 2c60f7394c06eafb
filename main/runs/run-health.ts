// What runs say about health, asked on every heartbeat (one of the engine's condition
// sources): a run alive but silent for too long is stuck; a queue that grew at each of the
// last three samples means runs arrive faster than they finish. Runs that failed count in the
// failure rate through their events (Engine.publishEvents), not here.
import type { Run } from '../../shared/model';
import { settingsFileKey } from '../../shared/settings';
import type { HealthConditionDraft } from '../engine/health';

export interface RunHealthInputs {
  now: number;
  /** Runs queued or running. */
  active: readonly Run[];
  queueLength: number;
}

export interface RunHealthOptions {
  /** A running run with no output this long is stuck (default 5). */
  stuckMinutes?: () => number;
  /** How often the queue length is sampled (default every minute). */
  sampleEveryMs?: number;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export class RunHealth {
  private samples: number[] = [];
  private lastSampleAt = -Infinity;
  /** The last answer: given again while nothing changed, so an unchanged health costs the engine nothing. */
  private last: readonly HealthConditionDraft[] = [];
  private readonly sampleEveryMs: number;

  constructor(private readonly options: RunHealthOptions = {}) {
    this.sampleEveryMs = options.sampleEveryMs ?? 60_000;
  }

  evaluate(inputs: RunHealthInputs): readonly HealthConditionDraft[] {
    const { now } = inputs;
    const conditions: HealthConditionDraft[] = [];
    const stuckMinutes = this.options.stuckMinutes?.() ?? 5;
    for (const run of inputs.active) {
      if (run.state !== 'running') continue;
      const lastSign = run.lastOutputAt ?? run.startedAt;
      if (lastSign === null || now - lastSign < stuckMinutes * 60_000) continue;
      const what = run.itemTitle ? `"${run.actionLabel}" on "${run.itemTitle}"` : `"${run.actionLabel}"`;
      conditions.push({
        key: `run-stuck:${run.id}`,
        level: 'warning',
        projectId: run.projectId,
        // Names the threshold, not the minutes so far, so the message does not change every tick.
        message: `Run ${what} is still running but has printed nothing for over ${plural(stuckMinutes, 'minute')}.`,
        hint: 'Open its log to see where it stopped; it may be waiting for input it will never get. Cancel it if it is stuck.',
      });
    }

    if (now - this.lastSampleAt >= this.sampleEveryMs) {
      this.lastSampleAt = now;
      this.samples = [...this.samples, inputs.queueLength].slice(-3);
    }
    const [a, b, c] = this.samples;
    if (this.samples.length === 3 && (a as number) < (b as number) && (b as number) < (c as number)) {
      conditions.push({
        key: 'run-queue-growing',
        level: 'warning',
        projectId: null,
        message: `The run queue grew at each of the last three checks (${a} → ${b} → ${c}): runs are queued faster than they finish.`,
        hint: `Raise the number of runs at once (Settings → Actions in the desktop app, or ${settingsFileKey('runs.maxConcurrent')}), or cancel queued runs you no longer need.`,
      });
    }

    if (sameConditions(conditions, this.last)) return this.last;
    this.last = conditions;
    return conditions;
  }
}

function sameConditions(a: readonly HealthConditionDraft[], b: readonly HealthConditionDraft[]): boolean {
  return a.length === b.length && a.every((c, i) => c.key === b[i]?.key && c.message === b[i]?.message && c.level === b[i]?.level);
}

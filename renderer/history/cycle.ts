// A plan's cycle from its status timeline: from the first `in_progress` of its latest stretch
// of work to done or failed (a move back to todo or backlog, or a finish, starts a new one).
// The same rule the journal uses for completions.
import type { Status } from '../../shared/model';

export interface TimelineStep {
  at: number;
  from: Status | null;
  to: Status;
}

export type Cycle = { state: 'not-started' } | { state: 'running'; startedAt: number } | { state: 'finished'; startedAt: number | null; endedAt: number; to: Status; ms: number | null };

const RESTARTS: readonly Status[] = ['todo', 'backlog', 'done', 'failed', 'cancelled'];

/** `steps` oldest first. */
export function cycleOf(steps: readonly TimelineStep[]): Cycle {
  let startedAt: number | null = null;
  let last: Cycle = { state: 'not-started' };
  for (const step of steps) {
    if (step.to === 'in_progress') {
      startedAt ??= step.at;
      last = { state: 'running', startedAt };
    } else if (step.to === 'done' || step.to === 'failed') {
      last = { state: 'finished', startedAt, endedAt: step.at, to: step.to, ms: startedAt === null ? null : step.at - startedAt };
      startedAt = null;
    } else if (RESTARTS.includes(step.to)) {
      startedAt = null;
      last = { state: 'not-started' };
    } else if (startedAt !== null) {
      last = { state: 'running', startedAt };
    }
  }
  return last;
}

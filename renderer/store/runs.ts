// What the views show of runs, derived from the live model: the active and queued runs, an
// item's runs, which items have a run going, a run log's outcome from its sentinel line. Pure.
import type { Batch, Run, RunState } from '../../shared/model';
import type { LogLine } from '../../shared/protocol';
import { itemKey } from './keys';

export const RUN_OUTCOMES: readonly RunState[] = ['succeeded', 'failed', 'cancelled', 'lost'];

export const isActiveRun = (run: Pick<Run, 'state'>): boolean => run.state === 'queued' || run.state === 'running';

export interface RunFilter {
  projectId: string | null;
  /** Ended runs with these outcomes (empty: all). */
  outcomes: RunState[];
}

export const emptyRunFilter = (): RunFilter => ({ projectId: null, outcomes: [] });

export interface RunGroups {
  running: Run[];
  /** In queue order. */
  queued: Run[];
  /** Newest first. */
  recent: Run[];
}

export function groupRuns(runs: Record<string, Run>, filter: RunFilter): RunGroups {
  const out: RunGroups = { running: [], queued: [], recent: [] };
  for (const run of Object.values(runs)) {
    if (filter.projectId !== null && run.projectId !== filter.projectId) continue;
    if (run.state === 'running') out.running.push(run);
    else if (run.state === 'queued') out.queued.push(run);
    else if (filter.outcomes.length === 0 || filter.outcomes.includes(run.state)) out.recent.push(run);
  }
  out.running.sort((a, b) => (a.startedAt ?? 0) - (b.startedAt ?? 0));
  out.queued.sort((a, b) => (a.position ?? Infinity) - (b.position ?? Infinity) || a.queuedAt - b.queuedAt);
  out.recent.sort((a, b) => (b.endedAt ?? b.queuedAt) - (a.endedAt ?? a.queuedAt));
  return out;
}

/** The runs of one item, newest first. */
export function runsOfItem(runs: Record<string, Run>, projectId: string, itemId: string): Run[] {
  return Object.values(runs)
    .filter((r) => r.projectId === projectId && r.itemId === itemId)
    .sort((a, b) => b.queuedAt - a.queuedAt);
}

/** itemKeys of the items with a run queued or going, and which it is. */
export function activeRunByItem(runs: Record<string, Run>): Map<string, Run> {
  const out = new Map<string, Run>();
  for (const run of Object.values(runs)) {
    if (!isActiveRun(run) || run.itemId === null) continue;
    const key = itemKey(run.projectId, run.itemId);
    const held = out.get(key);
    // A running run says more than a queued one.
    if (!held || (held.state === 'queued' && run.state === 'running')) out.set(key, run);
  }
  return out;
}

const activeByTable = new WeakMap<Record<string, Run>, Map<string, Run>>();

/**
 * activeRunByItem, worked out once per runs table (the store replaces the table when a run
 * changes) however many rows ask: a list scrolling rows in does not go over every run for each.
 */
export function activeRunsOf(runs: Record<string, Run>): ReadonlyMap<string, Run> {
  let byItem = activeByTable.get(runs);
  if (!byItem) activeByTable.set(runs, (byItem = activeRunByItem(runs)));
  return byItem;
}

export function activeBatches(batches: Record<string, Batch>, projectId?: string): Batch[] {
  return Object.values(batches)
    .filter((b) => b.endedAt === null && (projectId === undefined || b.projectId === projectId))
    .sort((a, b) => a.startedAt - b.startedAt);
}

/** How far a batch is: items done (any outcome) and skipped, of all. */
export function batchProgress(batch: Batch): { done: number; total: number } {
  const { succeeded, failed, cancelled, skipped } = batch.done;
  return { done: succeeded + failed + cancelled + skipped, total: batch.items.length };
}

const SENTINEL = /^=== Run Complete === exit=(-?\d+) duration=(\d+)$/;

/** A run log's end, from its sentinel line: the exit code and how long it ran; null while it goes on. */
export function logOutcome(lines: readonly LogLine[]): { exitCode: number; durationMs: number } | null {
  for (let i = lines.length - 1; i >= Math.max(0, lines.length - 3); i--) {
    const match = SENTINEL.exec(lines[i]!.text);
    if (match) return { exitCode: Number(match[1]), durationMs: Number(match[2]) };
  }
  return null;
}

/** `0.42 $`, `12.3k tokens`: what a run cost, when the agent said. */
export function formatCost(run: Pick<Run, 'tokens' | 'costUsd'>): string | null {
  const parts: string[] = [];
  if (run.tokens) {
    const total = run.tokens.input + run.tokens.output + run.tokens.cacheRead + run.tokens.cacheCreation;
    parts.push(total >= 1000 ? `${(total / 1000).toFixed(1)}k tokens` : `${total} tokens`);
  }
  if (run.costUsd !== null) parts.push(`$${run.costUsd.toFixed(run.costUsd < 1 ? 3 : 2)}`);
  return parts.length > 0 ? parts.join(' · ') : null;
}

/** `4 s`, `3 min 12 s`, `1 h 5 min`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export const RUN_STATE_LABELS: Record<RunState, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  lost: 'Lost',
};

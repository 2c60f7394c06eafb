// Numbers and times as people read them.
import type { Status } from '../../shared/model';

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d`;
}

/** "12 s ago", "just now", "never". */
export function formatAge(at: number | null | undefined, now: number): string {
  if (at === null || at === undefined) return 'never';
  const ms = now - at;
  if (ms < 1500) return 'just now';
  return `${formatDuration(ms)} ago`;
}

/**
 * What toLocaleString() says ("12/3/2026, 9:14:05 AM" in the user's locale), from one formatter:
 * toLocaleString builds a new one on every call, which is most of what a list row costs when
 * it scrolls into view.
 */
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });

export function formatDateTime(at: number): string {
  return dateTimeFormat.format(at);
}

const clockFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function formatClock(at: number): string {
  return clockFormat.format(at);
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

export const STATUS_LABELS: Record<Status, string> = {
  backlog: 'Backlog',
  todo: 'To do',
  in_progress: 'In progress',
  review: 'Review',
  blocked: 'Blocked',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
  unknown: 'Unknown',
};

export const SOURCE_LABELS: Record<string, string> = {
  coderef: 'coderef',
  gsd: 'GSD',
  bmad: 'BMAD',
  speckit: 'spec-kit',
  taskmaster: 'Task Master',
  backlog: 'Backlog.md',
  kiro: 'Kiro',
  openspec: 'OpenSpec',
};

export function percent(done: number, total: number): number {
  return total > 0 ? Math.round((done / total) * 100) : 0;
}

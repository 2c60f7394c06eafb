// A burst of notices (an agent finishing ten tasks at once) should not become ten toasts.
// The first `max` notices of a window are shown as they come; the rest are held and shown
// as one summary when the window closes. Pure: the caller passes the time and runs the timer.
import type { Notice, NoticeKind } from './rules';

export interface BurstOptions {
  /** Notices shown one by one per window. */
  max: number;
  windowMs: number;
}

export const DEFAULT_BURST: BurstOptions = { max: 3, windowMs: 10_000 };

export class BurstLimiter {
  private windowStart: number | null = null;
  private shownInWindow = 0;
  private held: Notice[] = [];

  constructor(private readonly options: BurstOptions = DEFAULT_BURST) {}

  /** The notice to show now, or null when it was held for the summary. */
  offer(notice: Notice, now: number): Notice | null {
    if (this.windowStart === null || now >= this.windowStart + this.options.windowMs) {
      if (this.held.length > 0) {
        // The caller missed the flush time; keep the order: summary first, this one after.
        this.held.push(notice);
        return null;
      }
      this.windowStart = now;
      this.shownInWindow = 0;
    }
    if (this.shownInWindow < this.options.max) {
      this.shownInWindow += 1;
      return notice;
    }
    this.held.push(notice);
    return null;
  }

  /** When `flush` has something to say, or null. */
  dueAt(): number | null {
    return this.held.length > 0 && this.windowStart !== null ? this.windowStart + this.options.windowMs : null;
  }

  /** The summary of what was held, once the window has closed; the summary opens a new window. */
  flush(now: number): Notice | null {
    const due = this.dueAt();
    if (due === null || now < due) return null;
    const held = this.held;
    this.held = [];
    this.windowStart = now;
    this.shownInWindow = 1;
    return summarize(held, this.options.max > 0);
  }
}

const KIND_WORDS: Record<NoticeKind, string> = { 'needs-input': 'waiting for you', critical: 'critical', done: 'done', failed: 'failed', stall: 'stalled' };

/** One notice for many; `more` when some were already shown one by one in the same window. */
export function summarize(held: readonly Notice[], more = true): Notice {
  if (held.length === 1) return held[0] as Notice;
  const counts = new Map<NoticeKind, number>();
  for (const n of held) counts.set(n.kind, (counts.get(n.kind) ?? 0) + 1);
  const projectIds = [...new Set(held.flatMap((n) => n.projectIds))];
  const everyNoticeNamesProjects = held.every((n) => n.projectIds.length > 0);
  const onlyProject = everyNoticeNamesProjects && projectIds.length === 1 ? (projectIds[0] as string) : null;
  const worst: NoticeKind = counts.has('critical') ? 'critical' : counts.has('needs-input') ? 'needs-input' : counts.has('failed') ? 'failed' : counts.has('stall') ? 'stall' : 'done';
  return {
    kind: worst,
    projectIds: everyNoticeNamesProjects ? projectIds : [],
    title: `Vigil: ${held.length}${more ? ' more' : ''} updates`,
    body: [...counts].map(([kind, n]) => `${n} ${KIND_WORDS[kind]}`).join(', '),
    target: onlyProject ? { projectId: onlyProject, kind: 'project', id: onlyProject } : null,
  };
}

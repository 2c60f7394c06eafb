// Which engine events deserve an alert, and whether the user's rules let it through. Pure:
// events and times in, notices out; the desktop shows them as native notifications, the
// outbound channels (ntfy, webhooks, Slack) send them on.
import type { DesktopEvents } from '../../shared/desktop-protocol';
import type { NotificationRules } from '../../shared/settings';
import type { Health } from '../../shared/model';
import type { EngineEvent } from '../../shared/protocol';
import { agentName } from '../agents/sessions';

export type FocusTarget = Parameters<DesktopEvents['focus:item']>[0];

export type NoticeKind = 'critical' | 'done' | 'failed' | 'stall' | 'needs-input';

export const NOTICE_KINDS: readonly NoticeKind[] = ['needs-input', 'critical', 'failed', 'done', 'stall'];

export interface Notice {
  kind: NoticeKind;
  /** The projects it is about; empty for engine-wide news. Mute applies when all are muted. */
  projectIds: string[];
  title: string;
  body: string;
  /** What a click shows; null just brings the window forward. */
  target: FocusTarget | null;
}

export interface NoticeScan {
  notices: Notice[];
  /** Health after these events, to pass to the next scan. */
  health: Health | null;
}

/** The health conditions the engine raises for stalled work (main/engine/health.ts) and stalled agent sessions (main/agents). */
const STALL_KEY_PREFIXES = ['stalled:', 'agent-stalled:'];

/**
 * Notices for a batch of events. `previousHealth` is the health before the batch, so only
 * transitions notify: turning critical, a stall condition appearing, an item moving to done
 * or failed (not an item first seen already finished, as when a project is added).
 */
export function noticesFromEvents(
  events: readonly EngineEvent[],
  previousHealth: Health | null,
  projectName: (projectId: string) => string | undefined,
): NoticeScan {
  const notices: Notice[] = [];
  let health = previousHealth;
  const named = (projectId: string): string => projectName(projectId) ?? projectId;
  for (const event of events) {
    if (event.type === 'item:status') {
      const { projectId, kind, id, title, from, to } = event.payload;
      if (from === null || from === to || (to !== 'done' && to !== 'failed')) continue;
      notices.push({
        kind: to,
        projectIds: [projectId],
        title: to === 'done' ? `Done: ${title}` : `Failed: ${title}`,
        body: `${named(projectId)} · ${kind} moved from ${from.replace('_', ' ')} to ${to}`,
        target: { projectId, kind, id },
      });
    } else if (event.type === 'run:succeeded' || event.type === 'run:failed' || event.type === 'run:lost') {
      const { run } = event.payload;
      // A failure that will be retried is not news yet: the last attempt's outcome is.
      if (run.willRetry) continue;
      const what = run.itemTitle ? `${run.actionLabel}: ${run.itemTitle}` : run.actionLabel;
      const done = event.type === 'run:succeeded';
      const how = done
        ? `finished in ${formatDuration((run.endedAt ?? 0) - (run.startedAt ?? run.endedAt ?? 0))}`
        : event.type === 'run:lost'
          ? 'was lost'
          : (run.reason ?? `failed with exit code ${run.exitCode}`);
      notices.push({
        kind: done ? 'done' : 'failed',
        projectIds: [run.projectId],
        title: done ? `Run finished: ${what}` : `Run failed: ${what}`,
        body: `${named(run.projectId)} · ${how}${run.attempt > 1 ? ` (attempt ${run.attempt})` : ''}`,
        target: { projectId: run.projectId, kind: 'run', id: run.id },
      });
    } else if (event.type === 'agent:needs-input') {
      const { session } = event.payload;
      const where = session.projectId ? named(session.projectId) : (session.cwd.split(/[\\/]/).pop() ?? session.cwd);
      notices.push({
        kind: 'needs-input',
        projectIds: session.projectId ? [session.projectId] : [],
        title: `${agentName(session.agent)} needs you · ${where}`,
        body: session.message ?? 'It is waiting for your input.',
        target: session.projectId ? { projectId: session.projectId, kind: 'project', id: session.projectId } : null,
      });
    } else if (event.type === 'health:changed') {
      const next = event.payload.health;
      notices.push(...healthNotices(health, next, named));
      health = next;
    }
  }
  return { notices, health };
}

function healthNotices(before: Health | null, after: Health, named: (id: string) => string): Notice[] {
  const out: Notice[] = [];
  if (after.level === 'critical' && before?.level !== 'critical') {
    const critical = after.conditions.filter((c) => c.level === 'critical');
    const first = critical[0];
    const projectIds = critical.every((c) => c.projectId !== null) ? unique(critical.map((c) => c.projectId as string)) : [];
    out.push({
      kind: 'critical',
      projectIds,
      title: 'Vigil: health is critical',
      body: first ? first.message + (critical.length > 1 ? ` (+${critical.length - 1} more)` : '') : 'Open Vigil to see why.',
      target: projectIds.length === 1 ? { projectId: projectIds[0] as string, kind: 'project', id: projectIds[0] as string } : null,
    });
  }
  const known = new Set(before?.conditions.map((c) => c.key) ?? []);
  for (const condition of after.conditions) {
    if (!STALL_KEY_PREFIXES.some((prefix) => condition.key.startsWith(prefix)) || known.has(condition.key)) continue;
    const projectId = condition.projectId;
    out.push({
      kind: 'stall',
      projectIds: projectId ? [projectId] : [],
      title: projectId ? `Stalled: ${named(projectId)}` : 'Work has stalled',
      body: condition.message,
      target: projectId ? { projectId, kind: 'project', id: projectId } : null,
    });
  }
  return out;
}

const unique = (ids: string[]): string[] => [...new Set(ids)];

/** `4 s`, `3 min 12 s`, `1 h 5 min`. */
function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

const KIND_TOGGLE: Record<NoticeKind, keyof Pick<NotificationRules, 'onCritical' | 'onDone' | 'onFailed' | 'onStall' | 'onNeedsInput'>> = {
  'needs-input': 'onNeedsInput',
  critical: 'onCritical',
  done: 'onDone',
  failed: 'onFailed',
  stall: 'onStall',
};

export type RuleVerdict = { show: true } | { show: false; reason: 'disabled' | 'kind-off' | 'muted' | 'quiet-hours' };

/** Whether the user's rules let this notice through at local time `now`. */
export function applyRules(notice: Notice, rules: NotificationRules, now: Date): RuleVerdict {
  if (!rules.enabled) return { show: false, reason: 'disabled' };
  if (!rules[KIND_TOGGLE[notice.kind]]) return { show: false, reason: 'kind-off' };
  const muted = new Set(rules.mutedProjects);
  if (notice.projectIds.length > 0 && notice.projectIds.every((id) => muted.has(id))) return { show: false, reason: 'muted' };
  if (isQuietTime(rules.quietHours, now)) return { show: false, reason: 'quiet-hours' };
  return { show: true };
}

/**
 * Whether local time `now` falls in the quiet window [start, end). A window whose end is
 * before its start wraps midnight (22:00 → 07:00); start equal to end is an empty window.
 */
export function isQuietTime(quietHours: NotificationRules['quietHours'], now: Date): boolean {
  if (!quietHours) return false;
  const start = minutesOf(quietHours.start);
  const end = minutesOf(quietHours.end);
  const t = now.getHours() * 60 + now.getMinutes();
  if (start === end) return false;
  return start < end ? t >= start && t < end : t >= start || t < end;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

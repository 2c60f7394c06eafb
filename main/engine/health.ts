// Is everything being watched as it should, and is the work moving? Evaluated on each
// heartbeat from facts the engine already holds; answers with conditions a person can act
// on, and says whether anything changed so the engine emits `health:changed` only then.
import type { Health, HealthCondition, HealthLevel, Project, ProjectIssue } from '../../shared/model';

export interface HealthProjectInput {
  project: Pick<Project, 'id' | 'name' | 'root' | 'state' | 'watch'>;
  /** Items of this project whose status is `in_progress`. */
  inProgress: readonly { id: string; title: string }[];
  /** ms since epoch of the newest file activity seen in the project; null when unknown (never stalls). */
  lastActivityAt: number | null;
  /** Changes the drift sweep found that the watcher had missed, in the last hour. */
  driftRepairsLastHour: number;
}

export interface HealthInputs {
  now: number;
  projects: readonly HealthProjectInput[];
  /** Current parse issues of every project. */
  issues: readonly ProjectIssue[];
  /** From ActivityLog.failureRate: moved to failed, and all finished, in the last hour. */
  failureRate: { failed: number; finished: number };
  /** The work time of the last heartbeat tick, null before the first. */
  lastTickLatencyMs: number | null;
  tickBudgetMs: number;
  /** An in-progress item in a project quiet this long is stalled (Settings.stallMinutes). */
  stallMinutes?: number;
}

export interface HealthMonitorOptions {
  /** When the monitor starts, for the `since` of the first `ok`; Date.now() by default. */
  startedAt?: number;
  /** Above this share of finished items failing, health is critical. */
  failureThreshold?: number;
}

const SEVERITY: Record<HealthLevel, number> = { ok: 0, warning: 1, critical: 2 };

const WATCH_LIMIT_HINT =
  'Vigil ran out of file watches or open files. On Linux raise the inotify limit ' +
  '(`sudo sysctl fs.inotify.max_user_watches=524288`, and add it to /etc/sysctl.d/ to keep it) ' +
  'and the open-file limit (`ulimit -n 65536`, or LimitNOFILE for a service); on macOS raise ' +
  '`launchctl limit maxfiles`. Then restart Vigil. On network drives polling is expected.';

type Draft = Omit<HealthCondition, 'since'>;

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function projectConditions(p: HealthProjectInput, issues: readonly ProjectIssue[], now: number, stallMinutes: number): Draft[] {
  const { id, name, root, state, watch } = p.project;
  const out: Draft[] = [];
  if (state === 'missing') {
    out.push({
      key: `project-missing:${id}`,
      level: 'warning',
      projectId: id,
      message: `Project "${name}" is missing: ${root} does not exist or cannot be read.`,
      hint:
        'Check whether the folder was moved, renamed, or sits on a drive that is not mounted. ' +
        'Vigil picks it up again as soon as it reappears; remove the project if it is gone for good.',
    });
    // Nothing else about a missing folder is meaningful.
    return out;
  }
  if (watch.backend === 'polling' || watch.errors.length > 0 || state === 'degraded') {
    const lastError = watch.errors.at(-1);
    const what =
      watch.backend === 'polling'
        ? `Watching "${name}" fell back to polling, which is slower and uses more CPU`
        : `Watching "${name}" reported an error`;
    out.push({
      key: `watcher:${id}`,
      level: 'warning',
      projectId: id,
      message: lastError ? `${what}: ${lastError}` : `${what}.`,
      hint: WATCH_LIMIT_HINT,
    });
  }
  if (issues.length > 0) {
    const first = issues[0] as ProjectIssue;
    const where = first.line === null ? first.path : `${first.path}:${first.line}`;
    const files = new Set(issues.map((i) => i.path)).size;
    out.push({
      key: `parse-issues:${id}`,
      level: 'warning',
      projectId: id,
      message: `${plural(issues.length, 'parse issue')} in ${plural(files, 'file')} of "${name}"; first in ${where}: ${first.message}`,
      hint: 'Open the file and fix what is reported; until then Vigil keeps showing the last version it could read.',
    });
  }
  const quietMs = p.lastActivityAt === null ? 0 : now - p.lastActivityAt;
  if (p.inProgress.length > 0 && p.lastActivityAt !== null && quietMs >= stallMinutes * 60_000) {
    const example = p.inProgress[0]?.title ?? '';
    // The message names the threshold, not the minutes elapsed, so it does not change every tick.
    out.push({
      key: `stalled:${id}`,
      level: 'warning',
      projectId: id,
      message:
        `${plural(p.inProgress.length, 'item')} in progress in "${name}" (e.g. "${example}"), ` +
        `but no file there has changed for over ${plural(stallMinutes, 'minute')}.`,
      hint: 'Check whether the agent working on it is still running or waiting for input; the threshold is the "stall minutes" setting.',
    });
  }
  if (p.driftRepairsLastHour > 0) {
    out.push({
      key: `drift-repairs:${id}`,
      level: 'warning',
      projectId: id,
      message: `The watcher missed ${plural(p.driftRepairsLastHour, 'change')} in "${name}" in the last hour; the periodic check found and applied them.`,
      hint:
        'This happens after sleep or on network drives. If it keeps happening on a local disk, ' +
        'the watcher may be short of watches: raise fs.inotify.max_user_watches (Linux).',
    });
  }
  return out;
}

/** Why health is what it is, from scratch; `since` is filled in by the monitor. */
export function healthConditions(inputs: HealthInputs, failureThreshold = 0.5): Draft[] {
  const stallMinutes = inputs.stallMinutes ?? 30;
  const issuesByProject = new Map<string, ProjectIssue[]>();
  for (const issue of inputs.issues) {
    const list = issuesByProject.get(issue.projectId) ?? [];
    list.push(issue);
    issuesByProject.set(issue.projectId, list);
  }
  const out: Draft[] = [];
  for (const p of inputs.projects) {
    // A paused project is one the user asked us not to look at: it raises nothing.
    if (p.project.state === 'paused') continue;
    out.push(...projectConditions(p, issuesByProject.get(p.project.id) ?? [], inputs.now, stallMinutes));
  }
  const { failed, finished } = inputs.failureRate;
  if (finished > 0 && failed / finished > failureThreshold) {
    out.push({
      key: 'failure-rate',
      level: 'critical',
      projectId: null,
      message: `${failed} of ${plural(finished, 'item')} that finished in the last hour failed.`,
      hint: 'Open the activity feed to see which items failed and read their logs.',
    });
  }
  if (inputs.lastTickLatencyMs !== null && inputs.lastTickLatencyMs > inputs.tickBudgetMs) {
    out.push({
      key: 'tick-latency',
      level: 'warning',
      projectId: null,
      message: `Vigil's periodic checks take longer than their ${inputs.tickBudgetMs} ms budget, so updates may lag.`,
      hint: 'Pause projects you are not following, or raise the heartbeat interval in Settings.',
    });
  }
  return out;
}

const fingerprint = (conditions: readonly Draft[]): string =>
  JSON.stringify(conditions.map((c) => [c.key, c.level, c.message, c.hint, c.projectId]));

export class HealthMonitor {
  private health: Health;
  private firstSeen = new Map<string, number>();
  private readonly failureThreshold: number;

  constructor(options: HealthMonitorOptions = {}) {
    this.health = { level: 'ok', since: options.startedAt ?? Date.now(), conditions: [] };
    this.failureThreshold = options.failureThreshold ?? 0.5;
  }

  /** The result of the last evaluation (ok with no conditions before the first). */
  current(): Health {
    return this.health;
  }

  evaluate(inputs: HealthInputs): { health: Health; changed: boolean } {
    const drafts = healthConditions(inputs, this.failureThreshold).sort(
      (a, b) => SEVERITY[b.level] - SEVERITY[a.level] || a.key.localeCompare(b.key),
    );
    // A condition keeps the time it first appeared for as long as it stays.
    const firstSeen = new Map<string, number>();
    const conditions: HealthCondition[] = drafts.map((d) => {
      const since = this.firstSeen.get(d.key) ?? inputs.now;
      firstSeen.set(d.key, since);
      return { ...d, since };
    });
    this.firstSeen = firstSeen;
    const level = drafts.reduce<HealthLevel>((worst, c) => (SEVERITY[c.level] > SEVERITY[worst] ? c.level : worst), 'ok');
    const levelChanged = level !== this.health.level;
    const changed = levelChanged || fingerprint(drafts) !== fingerprint(this.health.conditions);
    if (changed) {
      this.health = { level, since: levelChanged ? inputs.now : this.health.since, conditions };
    }
    return { health: this.health, changed };
  }
}

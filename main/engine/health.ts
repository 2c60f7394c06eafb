// Is everything being watched as it should, and is the work moving? Evaluated on each
// heartbeat from facts the engine already holds; answers with conditions a person can act
// on, and says whether anything changed so the engine emits `health:changed` only then.
import type { Health, HealthCondition, HealthLevel, Project, ProjectIssue } from '../../shared/model';
import { settingsFileKey } from '../../shared/settings';

export interface HealthProjectInput {
  project: Pick<Project, 'id' | 'name' | 'root' | 'state' | 'watch'>;
  /** Items of this project whose status is `in_progress`. */
  inProgress: readonly { id: string; title: string }[];
  /** ms since epoch of the newest file activity seen in the project; null when unknown (never stalls). */
  lastActivityAt: number | null;
  /** Changes the drift sweep found that the watcher had missed, in the last hour. */
  driftRepairsLastHour: number;
}

/**
 * Everything health is computed from. `evaluate` compares the inputs of one call with those
 * it last evaluated (the issues by identity), so they must be treated as immutable: pass new
 * objects when something changed, never edit old ones.
 */
export interface HealthInputs {
  now: number;
  projects: readonly HealthProjectInput[];
  /** Current parse issues of every project. */
  issues: readonly ProjectIssue[];
  /**
   * From ActivityLog.failureRate: moved to failed, and all finished, in the last hour; with
   * `runs`, runs that failed and ended are counted in too.
   */
  failureRate: { failed: number; finished: number; runs?: boolean };
  /** The work time of the last heartbeat tick, null before the first. */
  lastTickLatencyMs: number | null;
  tickBudgetMs: number;
  /** An in-progress item in a project quiet this long is stalled (Settings.stallMinutes). */
  stallMinutes?: number;
  /** When a file read last found no descriptor free (EMFILE), and the process's open-file limit. */
  descriptors?: { exhaustedAt: number | null; limit: number | null };
  /**
   * Conditions worked out elsewhere (stalled agent sessions, failing alert channels, the journal), as they
   * stand; a new array only when they changed.
   */
  extra?: readonly HealthConditionDraft[];
}

/** How long after the last EMFILE the warning stays up. */
export const DESCRIPTOR_WARNING_MS = 60_000;

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

/** A condition before the monitor stamps when it first appeared. */
export type HealthConditionDraft = Omit<HealthCondition, 'since'>;
type Draft = HealthConditionDraft;

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
      hint: `Check whether the agent working on it is still running or waiting for input; the threshold is ${settingsFileKey('stallMinutes')}.`,
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
  const { failed, finished, runs } = inputs.failureRate;
  if (finished > 0 && failed / finished > failureThreshold) {
    out.push({
      key: 'failure-rate',
      level: 'critical',
      projectId: null,
      message: `${failed} of ${plural(finished, runs ? 'item and run' : 'item', runs ? 'items and runs' : 'items')} that finished in the last hour failed.`,
      hint: runs
        ? 'Open the activity feed and the Runs tab to see what failed, and read their logs.'
        : 'Open the activity feed to see which items failed and read their logs.',
    });
  }
  if (descriptorWarning(inputs) !== null) {
    const limit = inputs.descriptors?.limit ?? null;
    out.push({
      key: 'descriptors',
      level: 'warning',
      projectId: null,
      message:
        `Vigil ran out of open files${limit === null || !Number.isFinite(limit) ? '' : ` (the limit is ${limit})`} while reading planning files; ` +
        'those reads are retried, and changes show up late until files are free again.',
      hint:
        `Raise the open-file limit: \`ulimit -n 65536\` in the shell that starts Vigil, LimitNOFILE=65536 for a systemd service, ` +
        '`launchctl limit maxfiles` on macOS; then restart Vigil. Too many browser tabs or scripts connected at once use them up too.',
    });
  }
  if (inputs.lastTickLatencyMs !== null && inputs.lastTickLatencyMs > inputs.tickBudgetMs) {
    out.push({
      key: 'tick-latency',
      level: 'warning',
      projectId: null,
      message: `Vigil's periodic checks take longer than their ${inputs.tickBudgetMs} ms budget, so updates may lag.`,
      hint: `Pause projects you are not following, or raise the heartbeat interval: ${settingsFileKey('heartbeatMs')} (it applies at once).`,
    });
  }
  if (inputs.extra) out.push(...inputs.extra);
  return out;
}

/** The out-of-files warning's identity (null: none), for telling whether it came, went or changed. */
function descriptorWarning(inputs: HealthInputs): string | null {
  const exhaustedAt = inputs.descriptors?.exhaustedAt ?? null;
  if (exhaustedAt === null || inputs.now - exhaustedAt >= DESCRIPTOR_WARNING_MS) return null;
  return String(inputs.descriptors?.limit ?? null);
}

const fingerprint = (conditions: readonly Draft[]): string =>
  JSON.stringify(conditions.map((c) => [c.key, c.level, c.message, c.hint, c.projectId]));

/** What the last full evaluation looked at, and the one clock threshold ahead of it. */
interface Evaluated {
  inputs: HealthInputs;
  stallMinutes: number;
  overBudget: boolean;
  /** The out-of-files warning (with its limit) as it stood. */
  outOfFiles: string | null;
  /**
   * The oldest `lastActivityAt` of the projects with work in progress that are not stalled
   * yet (null when none): the first to cross the stall threshold as the clock moves on.
   */
  nextToStall: number | null;
  /** Which of `inputs.projects` were stalled. */
  stalled: boolean[];
}

export class HealthMonitor {
  private health: Health;
  private firstSeen = new Map<string, number>();
  private readonly failureThreshold: number;
  private last: Evaluated | null = null;
  private evaluationCount = 0;

  constructor(options: HealthMonitorOptions = {}) {
    this.health = { level: 'ok', since: options.startedAt ?? Date.now(), conditions: [] };
    this.failureThreshold = options.failureThreshold ?? 0.5;
  }

  /** The result of the last evaluation (ok with no conditions before the first). */
  current(): Health {
    return this.health;
  }

  /** How many evaluations were done in full; the others found nothing that could have changed. */
  get evaluations(): number {
    return this.evaluationCount;
  }

  evaluate(inputs: HealthInputs): { health: Health; changed: boolean } {
    const stallMinutes = inputs.stallMinutes ?? 30;
    const overBudget = inputs.lastTickLatencyMs !== null && inputs.lastTickLatencyMs > inputs.tickBudgetMs;
    const outOfFiles = descriptorWarning(inputs);
    // The heartbeat asks every tick; mostly nothing changed since the last answer. Then the
    // answer stands unless the clock crossed a threshold: the only condition that depends on
    // the time itself is stalled work (failure rate and drift repairs come in as counts).
    if (this.last && this.last.outOfFiles === outOfFiles && this.unchanged(this.last, inputs, stallMinutes, overBudget)) {
      return { health: this.health, changed: false };
    }
    this.evaluationCount += 1;
    this.last = { inputs, stallMinutes, overBudget, outOfFiles, ...stallClock(inputs, stallMinutes) };
    const drafts = healthConditions(inputs, this.failureThreshold).sort(
      (a, b) => SEVERITY[b.level] - SEVERITY[a.level] || a.key.localeCompare(b.key),
    );
    // A condition keeps the time it first appeared for as long as it stays.
    const firstSeen = new Map<string, number>();
    const conditions: HealthCondition[] = drafts.map((d) => {
      const since = this.firstSeen.get(d.key) ?? inputs.now;
      firstSeen.set(d.key, since);
      // Field by field: a spread plus `since` would give each condition a hidden class of its own.
      return { key: d.key, level: d.level, message: d.message, hint: d.hint, projectId: d.projectId, since };
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

  private unchanged(last: Evaluated, next: HealthInputs, stallMinutes: number, overBudget: boolean): boolean {
    const before = last.inputs;
    if (next.now < before.now) return false; // the clock went back: a stall may be undone
    if (last.nextToStall !== null && !(next.now - last.nextToStall < stallMinutes * 60_000)) return false;
    if (stallMinutes !== last.stallMinutes || overBudget !== last.overBudget || next.tickBudgetMs !== before.tickBudgetMs) return false;
    if (next.failureRate.failed !== before.failureRate.failed || next.failureRate.finished !== before.failureRate.finished) return false;
    if (next.failureRate.runs !== before.failureRate.runs) return false;
    if (!sameItems(next.issues, before.issues)) return false;
    if (next.extra !== before.extra) return false;
    if (next.projects.length !== before.projects.length) return false;
    // Compared: what projectConditions reads, so that a save which only moved a project's
    // lastEventAt, or renamed an item in progress, is no change unless the project is stalled
    // (its message names the first item and the count).
    for (let i = 0; i < next.projects.length; i++) {
      const a = next.projects[i] as HealthProjectInput;
      const b = before.projects[i] as HealthProjectInput;
      if (a.project !== b.project && !sameProjectFacts(a.project, b.project)) return false;
      if (a.driftRepairsLastHour !== b.driftRepairsLastHour) return false;
      if (last.stalled[i]) {
        if (a.lastActivityAt !== b.lastActivityAt) return false;
        if (a.inProgress.length !== b.inProgress.length || a.inProgress[0]?.title !== b.inProgress[0]?.title) return false;
        continue;
      }
      // Not stalled: what matters is whether it could be. Work in progress appearing can stall
      // it at once; newer activity only puts a stall off (nextToStall stays a safe, earlier bound).
      if ((a.inProgress.length > 0) !== (b.inProgress.length > 0)) return false;
      if (a.lastActivityAt !== b.lastActivityAt) {
        if (a.lastActivityAt === null || b.lastActivityAt === null || a.lastActivityAt < b.lastActivityAt) return false;
      }
    }
    return true;
  }
}

/** Same elements, by identity (the lists are rebuilt only when they change, so mostly the same array). */
function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameProjectFacts(a: HealthProjectInput['project'], b: HealthProjectInput['project']): boolean {
  return (
    a.id === b.id &&
    a.name === b.name &&
    a.root === b.root &&
    a.state === b.state &&
    a.watch.backend === b.watch.backend &&
    sameItems(a.watch.errors, b.watch.errors)
  );
}

/** See `Evaluated.nextToStall` and `.stalled`; mirrors the stalled condition of `projectConditions`. */
function stallClock(inputs: HealthInputs, stallMinutes: number): Pick<Evaluated, 'nextToStall' | 'stalled'> {
  let oldest: number | null = null;
  const stalled: boolean[] = [];
  for (const p of inputs.projects) {
    const { state } = p.project;
    const candidate = state !== 'paused' && state !== 'missing' && p.inProgress.length > 0 && p.lastActivityAt !== null;
    const quietEnough = candidate && inputs.now - (p.lastActivityAt as number) >= stallMinutes * 60_000;
    stalled.push(quietEnough);
    if (candidate && !quietEnough && (oldest === null || (p.lastActivityAt as number) < oldest)) oldest = p.lastActivityAt;
  }
  return { nextToStall: oldest, stalled };
}

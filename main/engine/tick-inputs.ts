// What one heartbeat tick reads from every project, kept from one tick to the next. An idle tick
// (no project changed) compares each project's facts with the ones it holds and allocates nothing
// per project: with 200 projects the tick had built ~600 bytes per project a second, 126 KB a
// second in all, so that the young generation kept filling and scavenges kept coming while
// nothing happened (docs/bench.md, "an idle tick that allocates nothing per project").
import type { ProjectIssue } from '../../shared/model';
import type { HookHealthProject } from '../agents/hook-health';
import type { HealthProjectInput } from './health';
import type { LiveProject } from './live-project';

export class TickInputs {
  /** Each project's health input, in the engine's order: a new array only when one changed. */
  projects: readonly HealthProjectInput[] = [];
  /** The projects that are not paused, for the hooks' health: a new array only when one changed. */
  hookProjects: readonly HookHealthProject[] = [];
  /** Every project's current parse issues in one list: a new array only when a project's changed. */
  issues: readonly ProjectIssue[] = [];

  private issueParts: (readonly ProjectIssue[])[] = [];
  private readonly healthOf = new WeakMap<LiveProject, HealthProjectInput>();
  private readonly hookOf = new WeakMap<LiveProject, HookHealthProject>();
  // Written in place on every tick; copied out only when they differ from the lists above.
  private readonly nextProjects: HealthProjectInput[] = [];
  private readonly nextHooks: HookHealthProject[] = [];
  private readonly nextIssueParts: (readonly ProjectIssue[])[] = [];
  private count = 0;
  private hookCount = 0;
  private issuesMoved = false;
  private now = 0;
  // One callback for the life of the engine: Map.forEach with it allocates nothing, where a
  // for-of over the map makes an iterator and a result object per project until V8 optimizes.
  private readonly visit = (live: LiveProject): void => this.read(live);

  /** Read every project's facts as of `now`; the lists above change only where a fact did. */
  update(lives: ReadonlyMap<string, LiveProject>, now: number): void {
    this.now = now;
    this.count = 0;
    this.hookCount = 0;
    this.issuesMoved = false;
    lives.forEach(this.visit);
    if (this.count !== this.projects.length || differs(this.nextProjects, this.projects, this.count)) {
      this.projects = this.nextProjects.slice(0, this.count);
    }
    if (this.hookCount !== this.hookProjects.length || differs(this.nextHooks, this.hookProjects, this.hookCount)) {
      this.hookProjects = this.nextHooks.slice(0, this.hookCount);
    }
    if (this.issuesMoved || this.count !== this.issueParts.length) {
      this.issueParts = this.nextIssueParts.slice(0, this.count);
      this.issues = this.issueParts.flat();
    }
    // Let go of projects that were removed (the scratch lists would otherwise hold them).
    this.nextProjects.length = this.count;
    this.nextHooks.length = this.hookCount;
    this.nextIssueParts.length = this.count;
  }

  private read(live: LiveProject): void {
    const model = live.model;
    const project = model.project();
    const inProgress = model.inProgress();
    const lastActivityAt = live.lastActivityAt();
    const driftRepairsLastHour = live.repairs.lastHour(this.now);
    let health = this.healthOf.get(live);
    if (
      !health ||
      health.project !== project ||
      health.inProgress !== inProgress ||
      health.lastActivityAt !== lastActivityAt ||
      health.driftRepairsLastHour !== driftRepairsLastHour
    ) {
      health = { project, inProgress, lastActivityAt, driftRepairsLastHour };
      this.healthOf.set(live, health);
    }
    const i = this.count++;
    this.nextProjects[i] = health;
    const issues = model.currentIssues();
    if (this.issueParts[i] !== issues) this.issuesMoved = true;
    this.nextIssueParts[i] = issues;
    if (project.state === 'paused') return;
    let hook = this.hookOf.get(live);
    if (!hook || hook.id !== project.id || hook.name !== project.name || hook.root !== live.root || hook.lastActivityAt !== lastActivityAt) {
      hook = { id: project.id, name: project.name, root: live.root, lastActivityAt };
      this.hookOf.set(live, hook);
    }
    this.nextHooks[this.hookCount++] = hook;
  }
}

function differs<T>(next: readonly T[], current: readonly T[], count: number): boolean {
  for (let i = 0; i < count; i++) if (next[i] !== current[i]) return true;
  return false;
}

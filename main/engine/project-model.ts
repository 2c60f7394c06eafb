// One project's live model: the facts each file gave each source, the items each source
// derives from them, and the diff that turns a change into DomainEvents. Events are facts
// about the model, not about files: a save that changes nothing emits nothing.
//
// Cost: a change re-derives only the sources that own the changed file, and diffs only
// their items, each compared field by field with what the source said last time (no
// serialization) — 10k plans in one source cost one cheap pass, and 10k plans in another
// source cost nothing.
import {
  FINISHED_STATUSES,
  type ParseIssue,
  type Plan,
  type PlanItem,
  type Progress,
  type Project,
  type ProjectIssue,
  type ProjectState,
  type Reported,
  type SourceId,
  type Stub,
  type StubItem,
  type WatchStats,
  type Workorder,
  type WorkorderItem,
  type ItemKind,
  ITEM_KINDS,
  SOURCE_IDS,
} from '../../shared/model';
import type { DomainEvent } from '../../shared/protocol';
import type { FileParse, SourceAdapter, SourceItems } from '../sources/types';

/** What one file now says, for each adapter that owns it. */
export type FileChange =
  | { kind: 'removed' }
  | {
      kind: 'parsed';
      results: readonly { adapter: SourceAdapter; parse: FileParse<unknown> }[];
      /**
       * Show the parse issues now. False while the file may still be half-written: usable
       * facts are applied, failures keep the last good facts, and issues wait for quiet.
       */
      publishIssues: boolean;
      /** The file's modification time (ms since epoch): when what it says was written. */
      mtimeMs?: number;
    }
  /** The file could not be read (too large, no permission): say so, keep the last good facts. */
  | { kind: 'unreadable'; message: string };

export interface ApplyContext {
  /** ms since epoch: `updatedAt` of an item no file's modification time speaks for. */
  now: number;
  /** The first load of a project: adds are not status transitions. */
  initial: boolean;
}

interface Keyed<T> {
  /** The item as the model holds it (with projectId and updatedAt). */
  item: T;
  /** The item as the adapter derived it, to compare the next derive against. */
  raw: unknown;
}

/** An item whose status is `in_progress`, as the heartbeat's health check needs it. */
export interface InProgressItem {
  readonly id: string;
  readonly title: string;
}

type InProgressByKind = Record<ItemKind, readonly InProgressItem[]>;

interface SourceState {
  adapter: SourceAdapter;
  facts: Map<string, unknown>;
  plans: Map<string, Keyed<Plan>>;
  stubs: Map<string, Keyed<Stub>>;
  workorders: Map<string, Keyed<Workorder>>;
  /** The items of each kind that are in progress, in the order of the maps above. */
  inProgress: InProgressByKind;
  reported: Reported[];
  /** Issues found by `derive` across files, kept apart from each file's own parse issues. */
  deriveIssues: ParseIssue[];
  /** Finished leaf plans over leaf plans of this source (parents never cross sources). */
  progress: Progress;
}

const NO_WATCH: WatchStats = { backend: 'none', watchedDirs: 0, lastEventAt: null, errors: [] };

export class ProjectModel {
  private readonly sources = new Map<SourceId, SourceState>();
  /** Published parse issues of each file (all owners together). */
  private readonly fileIssues = new Map<string, ParseIssue[]>();
  /** Folders the last listing of the project could not read, by path (replaced by each listing). */
  private folderIssues = new Map<string, ParseIssue[]>();
  /** Each parsed file's modification time: an item's `updatedAt` is when its file changed, not when Vigil read it. */
  private readonly fileMtimes = new Map<string, number>();
  /** The issue list last announced for each path, as JSON, so only changes are announced. */
  private readonly announcedIssues = new Map<string, string>();
  private stateValue: ProjectState = 'ok';
  private watchValue: WatchStats = NO_WATCH;
  private progressValue: Progress = { done: 0, total: 0 };
  private sourceIds: SourceId[] = [];
  private reportedValue: Reported[] = [];
  private projectValue: Project;
  /**
   * What the heartbeat reads on every tick, kept so that a tick costs nothing per item: built
   * again (from the per-source lists, not from every item) only after a change touched it.
   */
  private inProgressCache: readonly InProgressItem[] | null = null;
  private issuesCache: readonly ProjectIssue[] | null = null;

  constructor(
    readonly id: string,
    readonly root: string,
    readonly name: string,
  ) {
    this.projectValue = this.buildProject();
  }

  get state(): ProjectState {
    return this.stateValue;
  }

  /** The project as clients see it (a fresh object after each change; never mutated). */
  project(): Project {
    return this.projectValue;
  }

  plans(): Plan[] {
    return this.collect((s) => s.plans);
  }

  stubs(): Stub[] {
    return this.collect((s) => s.stubs);
  }

  workorders(): Workorder[] {
    return this.collect((s) => s.workorders);
  }

  issues(): ProjectIssue[] {
    return [...this.currentIssues()];
  }

  /**
   * The current parse issues, as `issues()` lists them, without building the list again: the
   * same array until the issues change (then a new one), so a caller can tell by identity.
   */
  currentIssues(): readonly ProjectIssue[] {
    if (this.issuesCache === null) {
      const out: ProjectIssue[] = [];
      for (const path of this.issuePaths()) out.push(...this.issuesFor(path));
      this.issuesCache = out;
    }
    return this.issuesCache;
  }

  /**
   * Plans, then stubs, then workorders whose status is `in_progress`, in the order `plans()`,
   * `stubs()` and `workorders()` list them. Like `currentIssues()`, the same array until one of
   * them changes: O(1) per call while nothing does, never a pass over every item.
   */
  inProgress(): readonly InProgressItem[] {
    if (this.inProgressCache === null) {
      const out: InProgressItem[] = [];
      for (const kind of ITEM_KINDS) {
        for (const id of SOURCE_IDS) {
          const source = this.sources.get(id);
          if (source) for (const item of source.inProgress[kind]) out.push(item);
        }
      }
      this.inProgressCache = out;
    }
    return this.inProgressCache;
  }

  /** Paths the model holds facts for (any source). */
  paths(): Set<string> {
    const out = new Set<string>();
    for (const source of this.sources.values()) for (const path of source.facts.keys()) out.add(path);
    for (const path of this.fileIssues.keys()) out.add(path);
    return out;
  }

  /** Does any source hold facts for `path`? */
  hasFacts(path: string): boolean {
    for (const source of this.sources.values()) if (source.facts.has(path)) return true;
    return false;
  }

  /** Apply one file's change; returns the events it caused (none if the model did not change). */
  applyFile(path: string, change: FileChange, ctx: ApplyContext): DomainEvent[] {
    return this.applyFiles([[path, change]], ctx);
  }

  /** Apply several files at once: each touched source is derived once. */
  applyFiles(changes: Iterable<readonly [string, FileChange]>, ctx: ApplyContext): DomainEvent[] {
    const touchedSources = new Set<SourceState>();
    const touchedPaths = new Set<string>();
    /** The newest modification time among the files of this batch that changed each source. */
    const changedAt = new Map<SourceState, number>();
    for (const [path, change] of changes) {
      touchedPaths.add(path);
      if (change.kind === 'removed') {
        for (const source of this.sources.values()) if (source.facts.delete(path)) touchedSources.add(source);
        this.fileIssues.delete(path);
        this.fileMtimes.delete(path);
        continue;
      }
      if (change.kind === 'unreadable') {
        this.fileIssues.set(path, [{ path, line: null, message: change.message }]);
        continue;
      }
      const issues: ParseIssue[] = [];
      let failed = false;
      if (change.mtimeMs !== undefined) this.fileMtimes.set(path, change.mtimeMs);
      for (const { adapter, parse } of change.results) {
        issues.push(...parse.issues.map((i) => ({ ...i, path })));
        if (parse.facts === null) {
          failed = true;
          continue;
        }
        const source = this.sourceFor(adapter);
        if (source.facts.get(path) !== parse.facts) {
          source.facts.set(path, parse.facts);
          touchedSources.add(source);
          if (change.mtimeMs !== undefined) changedAt.set(source, Math.max(changedAt.get(source) ?? 0, change.mtimeMs));
        }
      }
      // A file no owner could read says nothing: with no issue to show it is harmless.
      if (failed && issues.length === 0) issues.push({ path, line: null, message: 'File could not be read' });
      if (change.publishIssues) {
        if (issues.length > 0) this.fileIssues.set(path, issues);
        else this.fileIssues.delete(path);
      }
    }

    const events: DomainEvent[] = [];
    for (const source of touchedSources) {
      for (const issue of source.deriveIssues) touchedPaths.add(issue.path);
      this.derive(source, ctx, changedAt.get(source) ?? null, events);
      for (const issue of source.deriveIssues) touchedPaths.add(issue.path);
    }
    this.announceIssues(touchedPaths, events);
    if (touchedSources.size > 0) this.refreshAggregates(events, ctx.initial);
    return events;
  }

  /**
   * The folders the latest listing of the project could not read: they replace the previous
   * ones, and each folder that appears, changes or comes back readable is announced.
   */
  setFolderIssues(issues: readonly ParseIssue[]): DomainEvent[] {
    const next = new Map<string, ParseIssue[]>();
    for (const issue of issues) next.set(issue.path, [...(next.get(issue.path) ?? []), issue]);
    const touched = new Set([...this.folderIssues.keys(), ...next.keys()]);
    this.folderIssues = next;
    const events: DomainEvent[] = [];
    this.announceIssues(touched, events);
    return events;
  }

  /** Change the project's state (ok / missing / degraded / paused). */
  setState(to: ProjectState): DomainEvent[] {
    const from = this.stateValue;
    if (from === to) return [];
    this.stateValue = to;
    this.projectValue = this.buildProject();
    return [
      { type: 'project:state', payload: { projectId: this.id, from, to } },
      { type: 'project:updated', payload: { project: this.projectValue } },
    ];
  }

  /** New watch stats; announced only when something but `lastEventAt` changed (that moves on every save). */
  setWatch(watch: WatchStats): DomainEvent[] {
    const before = this.watchValue;
    this.watchValue = { ...watch, errors: [...watch.errors] };
    const same =
      before.backend === watch.backend &&
      before.watchedDirs === watch.watchedDirs &&
      before.errors.length === watch.errors.length &&
      before.errors.every((e, i) => e === watch.errors[i]);
    this.projectValue = this.buildProject();
    if (same) return [];
    return [{ type: 'project:updated', payload: { project: this.projectValue } }];
  }

  /** Record file activity without announcing it (health reads it for staleness). */
  noteActivity(at: number): void {
    if (this.watchValue.lastEventAt !== null && this.watchValue.lastEventAt >= at) return;
    this.watchValue = { ...this.watchValue, lastEventAt: at };
    this.projectValue = this.buildProject();
  }

  get watch(): WatchStats {
    return this.watchValue;
  }

  /** Everything this project holds, as add events (for a project added while clients listen). */
  addedEvents(): DomainEvent[] {
    const events: DomainEvent[] = [{ type: 'project:added', payload: { project: this.projectValue } }];
    for (const plan of this.plans()) events.push({ type: 'plan:added', payload: { plan } });
    for (const stub of this.stubs()) events.push({ type: 'stub:added', payload: { stub } });
    for (const workorder of this.workorders()) events.push({ type: 'workorder:added', payload: { workorder } });
    for (const path of this.issuePaths()) {
      events.push({ type: 'parse:issue', payload: { projectId: this.id, path, issues: this.issuesFor(path) } });
    }
    return events;
  }

  // ---- internals ----

  private sourceFor(adapter: SourceAdapter): SourceState {
    let source = this.sources.get(adapter.id);
    if (!source) {
      source = {
        adapter,
        facts: new Map(),
        plans: new Map(),
        stubs: new Map(),
        workorders: new Map(),
        reported: [],
        deriveIssues: [],
        progress: { done: 0, total: 0 },
        inProgress: { plan: [], stub: [], workorder: [] },
      };
      this.sources.set(adapter.id, source);
    }
    return source;
  }

  /**
   * When an item last changed, as its files say: an item that appears is as old as its file
   * (a plan untouched since June is from June, not from when Vigil started); an item a change
   * altered is as new as the newest file that changed (its own file may not be the one that did).
   */
  private updatedAtOf(path: string, changed: boolean, batchNewest: number | null, now: number): number {
    const own = this.mtimeOf(path);
    if (!changed) return own ?? batchNewest ?? now;
    const newest = Math.max(own ?? 0, batchNewest ?? 0);
    return newest > 0 ? newest : now;
  }

  /** The modification time of the file at `path`, or of the newest file under it when it is a folder. */
  private mtimeOf(path: string): number | null {
    const own = this.fileMtimes.get(path);
    if (own !== undefined) return own;
    if (path === '') return null;
    let newest: number | null = null;
    const prefix = `${path}/`;
    for (const [file, mtime] of this.fileMtimes) if (file.startsWith(prefix) && (newest === null || mtime > newest)) newest = mtime;
    return newest;
  }

  private derive(source: SourceState, ctx: ApplyContext, batchNewest: number | null, events: DomainEvent[]): void {
    let items: SourceItems;
    try {
      items = source.adapter.derive(source.facts);
    } catch (err) {
      // Adapters promise never to throw; if one does, keep its last items and say so.
      const path = source.adapter.roots[0]?.path ?? '';
      source.deriveIssues = [{ path, line: null, message: `${source.adapter.label} could not combine its files: ${String(err)}` }];
      return;
    }
    const projectId = this.id;
    const touched: Record<ItemKind, boolean> = { plan: false, stub: false, workorder: false };
    const stamp = (path: string, changed: boolean): number => this.updatedAtOf(path, changed, batchNewest, ctx.now);
    source.plans = this.diff('plan', source.plans, items.plans, ctx, events, touched, (item: PlanItem, changed) =>
      modelItem(item, projectId, stamp(item.path, changed)),
    );
    source.stubs = this.diff('stub', source.stubs, items.stubs, ctx, events, touched, (item: StubItem, changed) =>
      modelItem(item, projectId, stamp(item.path, changed)),
    );
    source.workorders = this.diff('workorder', source.workorders, items.workorders, ctx, events, touched, (item: WorkorderItem, changed) =>
      modelItem(item, projectId, stamp(item.path, changed)),
    );
    // The in-progress lists follow the items, again only for a kind whose in-progress items
    // changed: one more pass over a map this derive has just walked, never on a heartbeat.
    if (touched.plan) source.inProgress.plan = inProgressOf(source.plans);
    if (touched.stub) source.inProgress.stub = inProgressOf(source.stubs);
    if (touched.workorder) source.inProgress.workorder = inProgressOf(source.workorders);
    if (touched.plan || touched.stub || touched.workorder) this.inProgressCache = null;
    source.reported = items.reported;
    source.deriveIssues = items.issues;
    source.progress = leafProgress([...source.plans.values()].map((keyed) => keyed.item));
  }

  private diff<I extends { id: string; status: Plan['status']; title: string; path: string }, M extends I & { updatedAt: number }>(
    kind: ItemKind,
    previous: Map<string, Keyed<M>>,
    nextItems: readonly I[],
    ctx: ApplyContext,
    events: DomainEvent[],
    /** Set for `kind` when its in-progress items may have changed (status, title, order, membership). */
    inProgressTouched: Record<ItemKind, boolean>,
    /** The item as the model holds it; `changed` when it existed before and this derive altered it. */
    toModel: (item: I, changed: boolean) => M,
  ): Map<string, Keyed<M>> {
    // Fast path: the source derived the same ids in the same order (a file's content changed,
    // nothing was added or removed) — compare in step and replace changed items in place,
    // without building a new map.
    if (previous.size === nextItems.length) {
      const changed: [I, Keyed<M>][] = [];
      let index = 0;
      let inStep = true;
      for (const old of previous.values()) {
        const item = nextItems[index++] as I;
        if ((old.raw as { id: string }).id !== item.id) {
          inStep = false;
          break;
        }
        if (!sameValue(old.raw, item)) changed.push([item, old]);
      }
      if (inStep) {
        for (const [parsed, old] of changed) {
          const item = ctx.initial ? parsed : ownCopy(parsed);
          const model = toModel(item, true);
          previous.set(item.id, { item: model, raw: item });
          events.push(updatedEvent(kind, model));
          if (old.item.status !== model.status) events.push(statusEvent(this.id, kind, model, old.item.status));
          if (old.item.status === 'in_progress' || model.status === 'in_progress') inProgressTouched[kind] = true;
        }
        return previous;
      }
    }

    // Items added, removed or reordered: the in-progress list is rebuilt with the map.
    inProgressTouched[kind] = true;
    const next = new Map<string, Keyed<M>>();
    for (const parsed of nextItems) {
      // Ids are unique per project by contract; a duplicate keeps the first, never crashes.
      if (next.has(parsed.id)) continue;
      const old = previous.get(parsed.id);
      if (old && sameValue(old.raw, parsed)) {
        next.set(parsed.id, old);
        continue;
      }
      const item = ctx.initial ? parsed : ownCopy(parsed);
      const model = toModel(item, old !== undefined);
      next.set(item.id, { item: model, raw: item });
      if (!old) {
        events.push(addedEvent(kind, model));
        if (!ctx.initial) events.push(statusEvent(this.id, kind, model, null));
      } else {
        events.push(updatedEvent(kind, model));
        if (old.item.status !== model.status) events.push(statusEvent(this.id, kind, model, old.item.status));
      }
    }
    for (const id of previous.keys()) {
      if (!next.has(id)) events.push(removedEvent(kind, this.id, id));
    }
    return next;
  }

  private refreshAggregates(events: DomainEvent[], initial: boolean): void {
    const sourceIds = SOURCE_IDS.filter((id) => {
      const s = this.sources.get(id);
      return s !== undefined && s.facts.size > 0;
    });
    const reported = SOURCE_IDS.flatMap((id) => this.sources.get(id)?.reported ?? []);
    const progress = { done: 0, total: 0 };
    for (const source of this.sources.values()) {
      progress.done += source.progress.done;
      progress.total += source.progress.total;
    }
    const changed =
      sourceIds.join(',') !== this.sourceIds.join(',') ||
      progress.done !== this.progressValue.done ||
      progress.total !== this.progressValue.total ||
      JSON.stringify(reported) !== JSON.stringify(this.reportedValue);
    if (!changed) return;
    this.sourceIds = sourceIds;
    this.reportedValue = ownCopy(reported);
    this.progressValue = progress;
    this.projectValue = this.buildProject();
    if (!initial) events.push({ type: 'project:updated', payload: { project: this.projectValue } });
  }

  private issuePaths(): string[] {
    const paths = new Set<string>([...this.fileIssues.keys(), ...this.folderIssues.keys()]);
    for (const source of this.sources.values()) for (const issue of source.deriveIssues) paths.add(issue.path);
    return [...paths].sort();
  }

  private issuesFor(path: string): ProjectIssue[] {
    const own = [...(this.fileIssues.get(path) ?? []), ...(this.folderIssues.get(path) ?? [])];
    const out: ProjectIssue[] = own.map((i) => ({ projectId: this.id, path, line: i.line, message: i.message }));
    for (const source of this.sources.values()) {
      for (const issue of source.deriveIssues) {
        if (issue.path === path) out.push({ projectId: this.id, path, line: issue.line, message: issue.message });
      }
    }
    return out;
  }

  private announceIssues(paths: Iterable<string>, events: DomainEvent[]): void {
    for (const path of paths) {
      const issues = this.issuesFor(path);
      const key = JSON.stringify(issues);
      const before = this.announcedIssues.get(path) ?? '[]';
      if (key === before) continue;
      // Every change to the issues of a path passes here (applyFiles announces each path it
      // touched, derive issues included), so this is where the issue list goes stale.
      this.issuesCache = null;
      if (issues.length === 0) this.announcedIssues.delete(path);
      else this.announcedIssues.set(path, key);
      events.push({ type: 'parse:issue', payload: { projectId: this.id, path, issues: ownCopy(issues) } });
    }
  }

  private collect<T>(pick: (s: SourceState) => Map<string, Keyed<T>>): T[] {
    const out: T[] = [];
    for (const id of SOURCE_IDS) {
      const source = this.sources.get(id);
      if (source) for (const keyed of pick(source).values()) out.push(keyed.item);
    }
    return out;
  }

  private buildProject(): Project {
    return {
      id: this.id,
      name: this.name,
      root: this.root,
      sources: [...this.sourceIds],
      state: this.stateValue,
      watch: { ...this.watchValue, errors: [...this.watchValue.errors] },
      progress: { ...this.progressValue },
      reported: this.reportedValue,
    };
  }
}

/**
 * An adapter's item as the model holds it: its own fields in their order, then its project and
 * when it last changed. Not `{ ...item, projectId, updatedAt }`: on Node 20's V8 a spread
 * followed by new properties gives every object a hidden class of its own (hundreds of bytes
 * per item, and slow to read everywhere after; docs/architecture.md, "Objects on hot paths").
 * Object.assign builds the same fields in the same order along shared classes. Items are made
 * by the adapters with fixed field names, never keys taken from a file, so its setter semantics
 * (a `__proto__` key) cannot come into play.
 */
function modelItem<T extends object>(item: T, projectId: string, updatedAt: number): T & { projectId: string; updatedAt: number } {
  return Object.assign({}, item, { projectId, updatedAt });
}

/**
 * A copy of parsed values that shares no string with the text they were parsed from. V8 makes
 * a substring of 13 characters or more a view into its whole string, so a work order's id read
 * from a 1 MB log keeps the whole 1 MB text alive for as long as the id lives; and the items a
 * change produces outlive that text's version of the file, in the events that describe the
 * change (the hub's replay ring, the journal's queue, a snapshot being sent). A log appended to
 * twice a second kept eight or nine of its old versions alive that way, growing with the log.
 * The first load's items are not copied: they share the text the facts keep anyway.
 */
function ownCopy<T>(value: T): T {
  return structuredClone(value);
}

function inProgressOf(items: ReadonlyMap<string, Keyed<{ id: string; title: string; status: Plan['status'] }>>): InProgressItem[] {
  const out: InProgressItem[] = [];
  for (const keyed of items.values()) if (keyed.item.status === 'in_progress') out.push(keyed.item);
  return out;
}

/** Deep equality for the JSON-like values adapters produce (no functions, no cycles). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  // Counting keys with for…in instead of Object.keys: no allocation per item compared.
  let count = 0;
  for (const key in ao) {
    if (!Object.prototype.hasOwnProperty.call(ao, key)) continue;
    if (!Object.prototype.hasOwnProperty.call(bo, key) || !sameValue(ao[key], bo[key])) return false;
    count += 1;
  }
  for (const key in bo) if (Object.prototype.hasOwnProperty.call(bo, key)) count -= 1;
  return count === 0;
}

/** Finished leaf plans over leaf plans (a leaf is a plan no other plan names as its parent). */
export function leafProgress(plans: readonly Pick<Plan, 'id' | 'parent' | 'status'>[]): Progress {
  const parents = new Set<string>();
  for (const plan of plans) if (plan.parent !== null) parents.add(plan.parent);
  let done = 0;
  let total = 0;
  for (const plan of plans) {
    if (parents.has(plan.id)) continue;
    total += 1;
    if (FINISHED_STATUSES.includes(plan.status)) done += 1;
  }
  return { done, total };
}

function addedEvent(kind: ItemKind, item: unknown): DomainEvent {
  if (kind === 'plan') return { type: 'plan:added', payload: { plan: item as Plan } };
  if (kind === 'stub') return { type: 'stub:added', payload: { stub: item as Stub } };
  return { type: 'workorder:added', payload: { workorder: item as Workorder } };
}

function updatedEvent(kind: ItemKind, item: unknown): DomainEvent {
  if (kind === 'plan') return { type: 'plan:updated', payload: { plan: item as Plan } };
  if (kind === 'stub') return { type: 'stub:updated', payload: { stub: item as Stub } };
  return { type: 'workorder:updated', payload: { workorder: item as Workorder } };
}

function removedEvent(kind: ItemKind, projectId: string, id: string): DomainEvent {
  if (kind === 'plan') return { type: 'plan:removed', payload: { projectId, id } };
  if (kind === 'stub') return { type: 'stub:removed', payload: { projectId, id } };
  return { type: 'workorder:removed', payload: { projectId, id } };
}

function statusEvent(
  projectId: string,
  kind: ItemKind,
  item: { id: string; title: string; status: Plan['status'] },
  from: Plan['status'] | null,
): DomainEvent {
  return { type: 'item:status', payload: { projectId, kind, id: item.id, title: item.title, from, to: item.status } };
}

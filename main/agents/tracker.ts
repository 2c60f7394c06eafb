// The agent sessions of one engine: hook posts are validated, placed in a project by their
// cwd, applied, and published through the hub like every other fact; the heartbeat ends
// silent sessions and reports stalled ones. State is kept in the config folder when there is one.
import type { AgentSession } from '../../shared/model';
import type { DomainEvent } from '../../shared/protocol';
import type { AgentsApi, HookReceipt } from '../engine/api';
import type { HealthConditionDraft } from '../engine/health';
import { agentStateFile, type AgentStateDocument, type HookActivity } from './agent-state-file';
import { signalFromPost, type AgentSignal } from './hook-signal';
import { itemForSession } from './session-item';
import { placeOfCwd, type CwdPlace, type RegisteredRoot } from './session-place';
import { AgentSessions, DEFAULT_SESSION_LIMITS, type SessionLimits } from './sessions';

export interface AgentTrackerOptions {
  /** The registered projects, with real roots. */
  roots: () => RegisteredRoot[];
  /** Ids of a project's plans and work orders, to match a session to the item it works on. */
  itemIds: (projectId: string) => string[];
  projectName: (projectId: string) => string | undefined;
  publish: (events: DomainEvent[]) => void;
  /** Where sessions and hook activity are kept; none keeps nothing. */
  configDir?: string;
  now: () => number;
  onError: (err: unknown) => void;
  limits?: Partial<SessionLimits>;
  /** How long state changes wait before they are written (a busy agent posts per tool call). */
  saveDelayMs?: number;
}

/** How long a cwd's place is trusted before it is worked out again (a folder moved, a worktree added). */
const PLACE_CACHE_MS = 5000;

export class AgentTracker implements AgentsApi {
  private readonly sessions: AgentSessions;
  private readonly file;
  private hooks: Record<string, HookActivity> = {};
  /** Posts are applied one after another, in arrival order, though placing one is async. */
  private queue: Promise<unknown> = Promise.resolve();
  private saveTimer: NodeJS.Timeout | null = null;
  private saving: Promise<void> = Promise.resolve();
  private closed = false;
  /**
   * Where each cwd was placed, for a few seconds: a busy agent posts on every tool call from
   * the same folder, and placing it costs a realpath and a walk up looking for .git.
   */
  private readonly placeCache = new Map<string, { at: number; rootsKey: string; place: CwdPlace }>();
  /** The hint each session's hook gave, kept to re-place it when projects change. */
  private readonly hints = new Map<string, { cwd: string; itemHint?: string }>();

  constructor(private readonly options: AgentTrackerOptions) {
    this.sessions = new AgentSessions({ ...DEFAULT_SESSION_LIMITS, ...options.limits });
    this.file = options.configDir ? agentStateFile(options.configDir) : null;
  }

  /** Read what was kept; returns a warning when the file was damaged and moved aside. */
  async load(): Promise<string | null> {
    if (!this.file) return null;
    const { value, warning } = await this.file.load();
    this.sessions.restore(value.sessions);
    this.hooks = value.hooks;
    for (const s of value.sessions) this.hints.set(s.id, { cwd: s.cwd });
    return warning;
  }

  list(): AgentSession[] {
    return this.sessions.list();
  }

  /** When each project's hooks last fired, by project id (read-only: the heartbeat reads it every tick). */
  hookActivity(): Readonly<Record<string, HookActivity>> {
    return this.hooks;
  }

  /** A post from `vigil hook`: validated, applied, published. Never throws. */
  receive(body: unknown): Promise<HookReceipt> {
    const result = signalFromPost(body);
    if (!result.ok) return Promise.resolve(result);
    const event = hookEventName(body);
    const run = async (): Promise<HookReceipt> => {
      if (this.closed) return { ok: false, message: 'Vigil is shutting down.' };
      const signal = result.signal;
      const id = `${signal.agent}:${signal.sessionId}`;
      this.hints.set(id, { cwd: signal.cwd, itemHint: signal.itemId });
      const place = await this.place(signal.cwd, signal.itemId);
      const now = this.options.now();
      this.publish(this.sessions.apply(signal, place, now));
      if (place.projectId) this.hooks[place.projectId] = { at: now, agent: signal.agent, event };
      this.scheduleSave();
      return { ok: true, session: this.sessions.get(id) as AgentSession };
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next.catch((err: unknown) => {
      this.options.onError(err);
      return { ok: false as const, message: 'The hook event could not be applied; see the Vigil log.' };
    });
  }

  /** Apply a signal from inside Vigil (a run's lifecycle), placed in a known project. */
  applyKnown(signal: AgentSignal, place: { projectId: string | null; itemId?: string; runId?: string }): AgentSession | undefined {
    if (this.closed) return undefined;
    const id = `${signal.agent}:${signal.sessionId}`;
    this.publish(this.sessions.apply(signal, place, this.options.now()));
    this.scheduleSave();
    return this.sessions.get(id);
  }

  /** Projects were added or removed: sessions may belong somewhere else now. */
  async projectsChanged(): Promise<void> {
    for (const [id, hint] of this.hints) {
      const session = this.sessions.get(id);
      if (!session || session.runId) continue;
      const place = await this.place(hint.cwd, hint.itemHint);
      this.publish(this.sessions.replace(id, place));
    }
  }

  /** Heartbeat work; the stalled-session conditions for health (the same array while unchanged). */
  tick(now: number, stallMinutes: number): readonly HealthConditionDraft[] {
    const { events, stalled } = this.sessions.tick(now, stallMinutes, this.options.projectName);
    if (events.length > 0) {
      this.publish(events);
      this.scheduleSave();
    }
    for (const id of this.hints.keys()) if (!this.sessions.get(id)) this.hints.delete(id);
    return stalled;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.queue;
    this.closed = true;
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
      await this.save();
    }
    await this.saving;
  }

  private async place(cwd: string, itemHint: string | undefined): Promise<{ projectId: string | null; itemId?: string }> {
    const roots = this.options.roots();
    const rootsKey = roots.map((r) => `${r.id}=${r.root}`).join('\n');
    const now = this.options.now();
    let cached = this.placeCache.get(cwd);
    if (!cached || cached.rootsKey !== rootsKey || now - cached.at > PLACE_CACHE_MS) {
      if (this.placeCache.size >= 1000) this.placeCache.clear();
      cached = { at: now, rootsKey, place: await placeOfCwd(cwd, roots) };
      this.placeCache.set(cwd, cached);
    }
    const { projectId, worktree } = cached.place;
    if (!projectId || (!itemHint && !worktree)) return { projectId };
    const itemId = itemForSession(itemHint, worktree, this.options.itemIds(projectId));
    return itemId ? { projectId, itemId } : { projectId };
  }

  private publish(events: DomainEvent[]): void {
    if (events.length > 0) this.options.publish(events);
  }

  private scheduleSave(): void {
    if (!this.file || this.saveTimer || this.closed) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      void this.save();
    }, this.options.saveDelayMs ?? 1000);
    this.saveTimer.unref();
  }

  private save(): Promise<void> {
    const file = this.file;
    if (!file) return Promise.resolve();
    const doc: AgentStateDocument = { version: 1, sessions: this.sessions.list(), hooks: { ...this.hooks } };
    this.saving = this.saving.then(() => file.save(doc)).catch((err: unknown) => this.options.onError(err));
    return this.saving;
  }
}

/** The event name as the agent wrote it, for `hooks status`. */
function hookEventName(body: unknown): string {
  const b = body as { event?: unknown; payload?: Record<string, unknown> };
  const named = b.event ?? b.payload?.hook_event_name ?? b.payload?.type;
  return typeof named === 'string' ? named.slice(0, 64) : 'unknown';
}

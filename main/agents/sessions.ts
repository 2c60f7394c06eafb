// The agent sessions Vigil knows and the state each is in: signals from hooks (and runs) in,
// domain events out. Pure: the caller passes the time, where the session is, and publishes.
import type { HealthCondition } from '../../shared/model';
import type { AgentSession, AgentState } from '../../shared/model';
import type { DomainEvent } from '../../shared/protocol';
import { settingsFileKey } from '../../shared/settings';
import type { AgentSignal, SignalKind } from './hook-signal';

/** Where a session works, as the tracker resolved it from its cwd. */
export interface SessionPlace {
  projectId: string | null;
  itemId?: string;
  runId?: string;
}

export interface SessionLimits {
  /** Ended sessions stay listed this long. */
  keepEndedMs: number;
  /** A session that has said nothing for this long is taken as gone (the agent was killed, the machine slept). */
  goneAfterMs: number;
  /** Most sessions kept; the oldest ended ones go first. */
  maxSessions: number;
  /** Clients hear of a newer lastEventAt at most this often per session (a busy agent posts per tool call). */
  lastEventResolutionMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  keepEndedMs: 60 * 60_000,
  goneAfterMs: 12 * 60 * 60_000,
  maxSessions: 500,
  lastEventResolutionMs: 60_000,
};

const STATE_OF: Record<Exclude<SignalKind, 'noise'>, AgentState> = {
  start: 'idle',
  working: 'working',
  'needs-input': 'needs-input',
  idle: 'idle',
  end: 'ended',
};

type Draft = Omit<HealthCondition, 'since'>;

export const AGENT_STALL_KEY_PREFIX = 'agent-stalled:';

export class AgentSessions {
  private readonly byId = new Map<string, AgentSession>();
  /** lastEventAt as clients last heard it, per session. */
  private readonly toldLastEventAt = new Map<string, number>();
  private stalledConditions: readonly Draft[] = [];
  private stalledKey = '';

  constructor(private readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS) {}

  list(): AgentSession[] {
    return [...this.byId.values()].map((s) => ({ ...s }));
  }

  get(id: string): AgentSession | undefined {
    const s = this.byId.get(id);
    return s ? { ...s } : undefined;
  }

  /** Put back sessions kept across a restart, without events (they are in the snapshot). */
  restore(sessions: readonly AgentSession[]): void {
    for (const s of sessions) {
      this.byId.set(s.id, { ...s });
      this.toldLastEventAt.set(s.id, s.lastEventAt);
    }
  }

  /** Apply one signal; the events that say what changed. */
  apply(signal: AgentSignal, place: SessionPlace, now: number): DomainEvent[] {
    const id = `${signal.agent}:${signal.sessionId}`;
    const before = this.byId.get(id);
    const state: AgentState | null = signal.kind === 'noise' ? null : STATE_OF[signal.kind];
    if (!before) {
      const session: AgentSession = {
        id,
        agent: signal.agent,
        projectId: place.projectId,
        cwd: signal.cwd,
        state: state ?? 'working',
        since: now,
        startedAt: now,
        lastEventAt: now,
        ...(signal.message ? { message: signal.message } : {}),
        ...(place.itemId ? { itemId: place.itemId } : {}),
        ...(place.runId ? { runId: place.runId } : {}),
      };
      this.byId.set(id, session);
      this.toldLastEventAt.set(id, now);
      this.trim(now);
      if (session.state === 'ended') return [{ type: 'agent:ended', payload: { session: { ...session } } }];
      const events: DomainEvent[] = [{ type: 'agent:started', payload: { session: { ...session } } }];
      if (session.state === 'needs-input') events.push({ type: 'agent:needs-input', payload: { session: { ...session } } });
      return events;
    }
    const next: AgentSession = { ...before, lastEventAt: Math.max(before.lastEventAt, now), cwd: signal.cwd, projectId: place.projectId };
    if (place.itemId) next.itemId = place.itemId;
    if (place.runId) next.runId = place.runId;
    if (state !== null && state !== before.state) {
      next.state = state;
      next.since = now;
      // A new state makes the old words stale ("needs your permission" after the user answered).
      delete next.message;
    }
    if (signal.message && state !== null) next.message = signal.message;
    this.byId.set(id, next);
    const changed =
      next.state !== before.state ||
      next.message !== before.message ||
      next.projectId !== before.projectId ||
      next.itemId !== before.itemId ||
      next.runId !== before.runId ||
      next.cwd !== before.cwd;
    const told = this.toldLastEventAt.get(id) ?? 0;
    if (!changed && next.lastEventAt - told < this.limits.lastEventResolutionMs) return [];
    this.toldLastEventAt.set(id, next.lastEventAt);
    const session = { ...next };
    if (next.state === 'ended' && before.state !== 'ended') return [{ type: 'agent:ended', payload: { session } }];
    if (next.state === 'needs-input' && (before.state !== 'needs-input' || next.message !== before.message)) {
      return [{ type: 'agent:needs-input', payload: { session } }];
    }
    return [{ type: 'agent:updated', payload: { session } }];
  }

  /** A session's project changed (a project was added or removed): re-place it. */
  replace(id: string, place: SessionPlace): DomainEvent[] {
    const before = this.byId.get(id);
    if (!before || (before.projectId === place.projectId && before.itemId === place.itemId)) return [];
    const next: AgentSession = { ...before, projectId: place.projectId };
    if (place.itemId) next.itemId = place.itemId;
    else delete next.itemId;
    this.byId.set(id, next);
    return [{ type: 'agent:updated', payload: { session: { ...next } } }];
  }

  /**
   * The time-based work of a heartbeat: sessions silent too long are ended, ended ones past
   * their stay are dropped, and `working` sessions silent for `stallMinutes` are stalled.
   */
  tick(now: number, stallMinutes: number, projectName: (id: string) => string | undefined): { events: DomainEvent[]; stalled: readonly Draft[] } {
    const events: DomainEvent[] = [];
    for (const [id, s] of this.byId) {
      if (s.state === 'ended') {
        if (now - s.since >= this.limits.keepEndedMs) {
          this.byId.delete(id);
          this.toldLastEventAt.delete(id);
        }
        continue;
      }
      // A run's session ends with its run; a silent run is the run's own stuck warning.
      if (s.runId) continue;
      if (now - s.lastEventAt >= this.limits.goneAfterMs) {
        const hours = Math.round(this.limits.goneAfterMs / 3_600_000);
        const ended: AgentSession = { ...s, state: 'ended', since: now, message: `No word from the session for ${hours} h; taken as gone.` };
        this.byId.set(id, ended);
        events.push({ type: 'agent:ended', payload: { session: { ...ended } } });
      }
    }
    const stallMs = stallMinutes * 60_000;
    const stalled = [...this.byId.values()].filter((s) => s.state === 'working' && !s.runId && now - s.lastEventAt >= stallMs);
    const key = stalled.map((s) => s.id).join('\n');
    if (key !== this.stalledKey) {
      this.stalledKey = key;
      this.stalledConditions = stalled.map((s) => {
        const where = s.projectId ? `"${projectName(s.projectId) ?? s.projectId}"` : s.cwd;
        return {
          key: `${AGENT_STALL_KEY_PREFIX}${s.id}`,
          level: 'warning' as const,
          projectId: s.projectId,
          message: `${agentName(s.agent)} in ${where} has been working without a word for over ${stallMinutes} minutes.`,
          hint: `Look at its terminal: it may be stuck on a long command, or waiting in a way its hooks do not report. The threshold is ${settingsFileKey('stallMinutes')}.`,
        };
      });
    }
    return { events, stalled: this.stalledConditions };
  }

  private trim(now: number): void {
    if (this.byId.size <= this.limits.maxSessions) return;
    const byAge = [...this.byId.values()].sort((a, b) => rank(a, now) - rank(b, now));
    for (const s of byAge.slice(0, this.byId.size - this.limits.maxSessions)) {
      this.byId.delete(s.id);
      this.toldLastEventAt.delete(s.id);
    }
  }
}

/** Lower goes first: ended sessions before live ones, then the longest silent. */
function rank(s: AgentSession, now: number): number {
  return (s.state === 'ended' ? 0 : 1e15) + s.lastEventAt - now;
}

const AGENT_NAMES: Record<string, string> = { claude: 'Claude Code', codex: 'Codex' };

/** How a person calls the agent. */
export function agentName(agent: string): string {
  return AGENT_NAMES[agent] ?? agent;
}

import { describe, expect, test } from 'vitest';
import { signalFromPost, type AgentSignal } from '../../../main/agents/hook-signal';
import { AgentSessions, DEFAULT_SESSION_LIMITS } from '../../../main/agents/sessions';
import type { AgentSession } from '../../../shared/model';

const sig = (kind: AgentSignal['kind'], message?: string, sessionId = 's1'): AgentSignal => ({ agent: 'claude', sessionId, cwd: '/code/shop', kind, message });
const here = { projectId: 'p1' };
const name = (): string => 'shop';
const session = (events: { payload: unknown }[]): AgentSession | undefined => (events.at(-1)?.payload as { session: AgentSession } | undefined)?.session;

describe('session states', () => {
  test('a permission prompt is needs-input until the agent moves on; the old question goes with it', () => {
    const s = new AgentSessions();
    expect(s.apply(sig('working', 'Fix the login bug'), here, 1000).map((e) => e.type)).toEqual(['agent:started']);
    const waiting = s.apply(sig('needs-input', 'Claude needs your permission to use Bash'), here, 2000);
    expect(waiting.map((e) => e.type)).toEqual(['agent:needs-input']);
    expect(session(waiting)).toMatchObject({ state: 'needs-input', since: 2000, message: 'Claude needs your permission to use Bash' });
    const moved = s.apply(sig('working'), here, 3000);
    expect(session(moved)).toMatchObject({ state: 'working', since: 3000 });
    expect(session(moved)?.message).toBeUndefined();
    expect(session(s.apply(sig('idle', 'All done.'), here, 4000))).toMatchObject({ state: 'idle', message: 'All done.' });
    expect(s.apply(sig('end'), here, 5000).map((e) => e.type)).toEqual(['agent:ended']);
  });

  test('a first event that already waits is announced as started and as needing input', () => {
    const s = new AgentSessions();
    expect(s.apply(sig('needs-input', 'Waiting'), here, 1).map((e) => e.type)).toEqual(['agent:started', 'agent:needs-input']);
  });

  test('activity that changes nothing is not an event, until lastEventAt is a minute stale', () => {
    const s = new AgentSessions();
    s.apply(sig('working'), here, 0);
    expect(s.apply(sig('working'), here, 1000)).toEqual([]);
    expect(s.apply(sig('noise'), here, 2000)).toEqual([]);
    expect(s.get('claude:s1')?.lastEventAt).toBe(2000);
    expect(session(s.apply(sig('working'), here, 61_000))).toMatchObject({ state: 'working', lastEventAt: 61_000 });
  });

  test('a session working without a word for the stall time is a warning, and clears when it speaks', () => {
    const s = new AgentSessions();
    s.apply(sig('working'), here, 0);
    expect(s.tick(29 * 60_000, 30, name).stalled).toEqual([]);
    const { stalled } = s.tick(30 * 60_000, 30, name);
    expect(stalled).toEqual([expect.objectContaining({ key: 'agent-stalled:claude:s1', level: 'warning', projectId: 'p1', message: expect.stringMatching(/Claude Code in "shop".*30 minutes/), hint: expect.stringContaining('`stallMinutes` in settings.json') })]);
    // The same array while nothing changed, so health sees no change.
    expect(s.tick(31 * 60_000, 30, name).stalled).toBe(stalled);
    s.apply(sig('needs-input'), here, 32 * 60_000);
    expect(s.tick(33 * 60_000, 30, name).stalled).toEqual([]);
  });

  test('a session silent for the gone time is ended; ended ones leave the list after an hour', () => {
    const s = new AgentSessions();
    s.apply(sig('needs-input'), here, 0);
    const gone = s.tick(DEFAULT_SESSION_LIMITS.goneAfterMs, 30, name);
    expect(gone.events.map((e) => e.type)).toEqual(['agent:ended']);
    expect(session(gone.events)?.message).toMatch(/No word from the session for 12 h/);
    expect(s.list()).toHaveLength(1);
    s.tick(DEFAULT_SESSION_LIMITS.goneAfterMs + DEFAULT_SESSION_LIMITS.keepEndedMs, 30, name);
    expect(s.list()).toEqual([]);
  });

  test("a run's session is neither stalled nor taken as gone by silence: it ends with its run (whose silence is the run's stuck warning)", () => {
    const s = new AgentSessions();
    s.apply({ agent: 'claude-code', sessionId: 'r_1', cwd: '/code/shop', kind: 'working' }, { ...here, runId: 'r_1' }, 0);
    expect(s.tick(DEFAULT_SESSION_LIMITS.goneAfterMs, 30, name)).toEqual({ events: [], stalled: [] });
    expect(s.get('claude-code:r_1')?.state).toBe('working');
    expect(s.apply({ agent: 'claude-code', sessionId: 'r_1', cwd: '/code/shop', kind: 'end' }, { ...here, runId: 'r_1' }, 1).map((e) => e.type)).toEqual(['agent:ended']);
  });

  test('the list is bounded; ended sessions go first', () => {
    const s = new AgentSessions({ ...DEFAULT_SESSION_LIMITS, maxSessions: 3 });
    s.apply(sig('working', undefined, 'live-old'), here, 1);
    s.apply(sig('end', undefined, 'ended'), here, 2);
    s.apply(sig('working', undefined, 'b'), here, 3);
    s.apply(sig('working', undefined, 'c'), here, 4);
    expect(s.list().map((x) => x.id).sort()).toEqual(['claude:b', 'claude:c', 'claude:live-old']);
  });
});

describe('hook payloads', () => {
  const cwd = '/code/shop';
  test('Claude Code events map to states; informational notices change nothing', () => {
    const kind = (payload: Record<string, unknown>): string | undefined => {
      const r = signalFromPost({ agent: 'claude', payload: { session_id: 'x', cwd, ...payload } });
      return r.ok ? r.signal.kind : r.message;
    };
    expect(kind({ hook_event_name: 'SessionStart', source: 'resume' })).toBe('start');
    expect(kind({ hook_event_name: 'UserPromptSubmit', prompt: 'go' })).toBe('working');
    expect(kind({ hook_event_name: 'Notification', message: 'm', notification_type: 'permission_prompt' })).toBe('needs-input');
    expect(kind({ hook_event_name: 'Notification', message: 'Logged in', notification_type: 'auth_success' })).toBe('noise');
    expect(kind({ hook_event_name: 'Stop', stop_hook_active: false })).toBe('idle');
    expect(kind({ hook_event_name: 'SubagentStop', agent_id: 'a1' })).toBe('working');
    expect(kind({ hook_event_name: 'SessionEnd', reason: 'logout' })).toBe('end');
  });

  test('messages are one line, cut to 500 characters', () => {
    const r = signalFromPost({ agent: 'claude', payload: { session_id: 'x', cwd, hook_event_name: 'Stop', last_assistant_message: `Done.\n\n${'a'.repeat(900)}` } });
    expect(r.ok && r.signal.message?.length).toBe(500);
    expect(r.ok && r.signal.message?.startsWith('Done. aaa')).toBe(true);
  });

  test('unknown keys and a hostile agent name are refused', () => {
    expect(signalFromPost({ agent: 'claude', payload: {}, extra: 1 })).toMatchObject({ ok: false });
    expect(signalFromPost({ agent: '../../etc', event: 'idle', cwd, payload: {} })).toMatchObject({ ok: false, message: expect.stringMatching(/agent/) });
    expect(signalFromPost('nonsense')).toMatchObject({ ok: false });
    expect(signalFromPost({ agent: 'codex', payload: { type: 'agent-turn-complete', cwd } })).toMatchObject({ ok: false, message: expect.stringMatching(/thread-id/) });
  });
});

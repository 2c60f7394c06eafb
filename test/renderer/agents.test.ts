// Agent sessions in the renderer's model and what the views derive from them: the Needs-you
// strip's order, a project card's agents, the agents on a plan row.
import { describe, expect, test } from 'vitest';
import { applyEvents, applyHello, emptyModel } from '../../renderer/store/live-model';
import { agentsOfProject, agentsOnItem, selectWaiting } from '../../renderer/store/selectors';
import type { AgentSession } from '../../shared/model';
import type { EngineEvent } from '../../shared/protocol';
import { hello, project } from './fixtures';

const session = (id: string, over: Partial<AgentSession> = {}): AgentSession => ({
  id,
  agent: 'claude',
  projectId: 'pa',
  cwd: '/code/pa',
  state: 'working',
  since: 100,
  startedAt: 100,
  lastEventAt: 100,
  ...over,
});

const agentEvent = (seq: number, type: 'agent:started' | 'agent:updated' | 'agent:needs-input' | 'agent:ended', s: AgentSession): EngineEvent =>
  ({ seq, ts: seq, type, payload: { session: s } }) as EngineEvent;

describe('agent sessions in the live model', () => {
  test('come with the hello and follow agent events', () => {
    let s = applyHello(emptyModel(), hello(1, { projects: [project('pa')], agents: [session('claude:a')] }));
    expect(Object.keys(s.agents)).toEqual(['claude:a']);
    s = applyEvents(s, [agentEvent(2, 'agent:needs-input', session('claude:a', { state: 'needs-input', since: 200, message: 'May I run npm test?' })), agentEvent(3, 'agent:started', session('codex:b', { agent: 'codex' }))]).state;
    expect(s.agents['claude:a']).toMatchObject({ state: 'needs-input', message: 'May I run npm test?' });
    expect(s.agents['codex:b']).toMatchObject({ agent: 'codex' });
    s = applyEvents(s, [agentEvent(4, 'agent:ended', session('claude:a', { state: 'ended' }))]).state;
    expect(s.agents['claude:a']!.state).toBe('ended');
  });

  test('a hello from before agents existed (no agents field) gives none', () => {
    const old = hello(1, { projects: [project('pa')] });
    delete (old.snapshot as Partial<typeof old.snapshot>).agents;
    expect(applyHello(emptyModel(), old).agents).toEqual({});
  });
});

describe('what the views show', () => {
  const agents = {
    a: session('a', { state: 'needs-input', since: 300 }),
    b: session('b', { state: 'needs-input', since: 100, projectId: 'pb' }),
    c: session('c', { state: 'working', itemId: 'gsd:plan:02-01' }),
    d: session('d', { state: 'ended', itemId: 'gsd:plan:02-01' }),
  };

  test('Needs you: only waiting sessions, the longest-waiting first', () => {
    expect(selectWaiting(agents).map((x) => x.id)).toEqual(['b', 'a']);
  });

  test("a project's card: its live sessions, those needing the user first", () => {
    expect(agentsOfProject(agents, 'pa').map((x) => x.id)).toEqual(['a', 'c']);
  });

  test('a plan row: the live sessions naming it, as one label', () => {
    expect(agentsOnItem(agents, 'pa', 'gsd:plan:02-01')).toBe('Claude Code · working');
    expect(agentsOnItem(agents, 'pb', 'gsd:plan:02-01')).toBeNull();
  });

  test('a plan row: several sessions on it in the order they came, and a changed table is read again', () => {
    const more = { ...agents, e: session('e', { agent: 'codex', state: 'idle', itemId: 'gsd:plan:02-01' }), f: session('f', { projectId: null, itemId: 'gsd:plan:02-01' }) };
    expect(agentsOnItem(more, 'pa', 'gsd:plan:02-01')).toBe('Claude Code · working, Codex · idle');
    const ended = { ...more, c: session('c', { state: 'ended', itemId: 'gsd:plan:02-01' }) };
    expect(agentsOnItem(ended, 'pa', 'gsd:plan:02-01')).toBe('Codex · idle');
    expect(agentsOnItem(more, 'pa', 'gsd:plan:02-01')).toBe('Claude Code · working, Codex · idle');
  });
});

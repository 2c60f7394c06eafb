import { describe, expect, test } from 'vitest';
import type { AgentSession, Health } from '../../../shared/model';
import type { EngineEvent } from '../../../shared/protocol';
import { closeAction, trayInputsAfter, trayStateFor, waitingIn } from '../../../main/desktop/tray-state';

const health = (level: Health['level'], messages: string[] = []): Health => ({
  level,
  since: 0,
  conditions: messages.map((message, i) => ({ key: `k${i}`, level, message, hint: null, projectId: null, since: 0 })),
});

describe('tray state follows health', () => {
  test('the icon is the health level', () => {
    for (const level of ['ok', 'warning', 'critical'] as const) {
      expect(trayStateFor({ health: health(level), running: true, lanEnabled: false, waiting: [] }).icon).toBe(level);
    }
    expect(trayStateFor({ health: null, running: true, lanEnabled: false, waiting: [] }).icon).toBe('ok');
  });

  test('the tooltip says why, and that the engine is paused', () => {
    expect(trayStateFor({ health: health('ok'), running: true, lanEnabled: false, waiting: [] }).tooltip).toBe('Vigil — all good');
    expect(trayStateFor({ health: health('critical', ['3 of 4 failed', 'x']), running: true, lanEnabled: false, waiting: [] }).tooltip).toBe(
      'Vigil — critical: 3 of 4 failed (+1 more)',
    );
    expect(trayStateFor({ health: health('warning', ['w']), running: false, lanEnabled: false, waiting: [] }).tooltip).toBe('Vigil — paused');
  });

  test('the menu: open, pause or resume, LAN on/off, quit', () => {
    const running = trayStateFor({ health: null, running: true, lanEnabled: false, waiting: [] }).menu;
    expect(running).toEqual([
      { kind: 'action', action: 'open', label: 'Open Vigil' },
      { kind: 'action', action: 'toggle-engine', label: 'Pause watching' },
      { kind: 'checkbox', action: 'toggle-lan', label: 'LAN server', checked: false },
      { kind: 'separator' },
      { kind: 'action', action: 'quit', label: 'Quit Vigil' },
    ]);
    const paused = trayStateFor({ health: null, running: false, lanEnabled: true, waiting: [] }).menu;
    expect(paused[1]).toMatchObject({ label: 'Resume watching' });
    expect(paused[2]).toMatchObject({ checked: true });
  });

  test('health and engine events move the inputs; other events leave them', () => {
    const events: EngineEvent[] = [
      { seq: 1, ts: 0, type: 'health:changed', payload: { health: health('critical', ['boom']) } },
      { seq: 2, ts: 0, type: 'engine:state', payload: { running: false } },
      { seq: 3, ts: 0, type: 'project:removed', payload: { projectId: 'p' } },
    ];
    const after = trayInputsAfter({ health: health('ok'), running: true, lanEnabled: true, waiting: [] }, events);
    expect(after).toEqual({ health: health('critical', ['boom']), running: false, lanEnabled: true, waiting: [] });
    expect(trayStateFor(after).icon).toBe('critical');
  });
});

describe('the tray while an agent waits', () => {
  const session = (id: string, state: AgentSession['state']): AgentSession => ({
    id,
    agent: 'claude',
    projectId: 'p',
    cwd: '/code/shop',
    state,
    since: 0,
    startedAt: 0,
    lastEventAt: 0,
    message: 'Claude needs your permission to use Bash',
  });
  const agentEvent = (seq: number, type: 'agent:needs-input' | 'agent:updated' | 'agent:ended', s: AgentSession): EngineEvent =>
    ({ seq, ts: 0, type, payload: { session: s } }) as EngineEvent;

  test('turns amber with a menu line while a session needs input, and back when it moves on', () => {
    const idle = { health: health('ok'), running: true, lanEnabled: false, waiting: [] };
    const waiting = trayInputsAfter(idle, [agentEvent(1, 'agent:needs-input', session('a', 'needs-input'))]);
    expect(waiting.waiting).toEqual(['a']);
    const state = trayStateFor(waiting);
    expect(state.icon).toBe('warning');
    expect(state.tooltip).toBe('Vigil — an agent needs you');
    expect(state.menu[0]).toEqual({ kind: 'action', action: 'open', label: 'An agent needs you…' });
    const two = trayInputsAfter(waiting, [agentEvent(2, 'agent:needs-input', session('b', 'needs-input'))]);
    expect(trayStateFor(two).menu[0]).toMatchObject({ label: '2 agents need you…' });
    const back = trayInputsAfter(two, [agentEvent(3, 'agent:updated', session('a', 'working')), agentEvent(4, 'agent:ended', session('b', 'ended'))]);
    expect(back.waiting).toEqual([]);
    expect(trayStateFor(back).icon).toBe('ok');
  });

  test('critical health stays red while an agent waits', () => {
    expect(trayStateFor({ health: health('critical', ['x']), running: true, lanEnabled: false, waiting: ['a'] }).icon).toBe('critical');
  });

  test('the sessions waiting in a snapshot', () => {
    expect(waitingIn([session('a', 'needs-input'), session('b', 'working')])).toEqual(['a']);
  });
});

describe('closing the window', () => {
  test('hides to the tray when the setting is on and there is a tray', () => {
    expect(closeAction({ quitting: false, closeToTray: true, hasTray: true })).toBe('hide');
  });
  test('really closes when quitting, when the setting is off, or without a tray', () => {
    expect(closeAction({ quitting: true, closeToTray: true, hasTray: true })).toBe('close');
    expect(closeAction({ quitting: false, closeToTray: false, hasTray: true })).toBe('close');
    expect(closeAction({ quitting: false, closeToTray: true, hasTray: false })).toBe('close');
  });
});

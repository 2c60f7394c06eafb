import { describe, expect, test } from 'vitest';
import type { Health } from '../../../shared/model';
import type { EngineEvent } from '../../../shared/protocol';
import { closeAction, trayInputsAfter, trayStateFor } from '../../../main/desktop/tray-state';

const health = (level: Health['level'], messages: string[] = []): Health => ({
  level,
  since: 0,
  conditions: messages.map((message, i) => ({ key: `k${i}`, level, message, hint: null, projectId: null, since: 0 })),
});

describe('tray state follows health', () => {
  test('the icon is the health level', () => {
    for (const level of ['ok', 'warning', 'critical'] as const) {
      expect(trayStateFor({ health: health(level), running: true, lanEnabled: false }).icon).toBe(level);
    }
    expect(trayStateFor({ health: null, running: true, lanEnabled: false }).icon).toBe('ok');
  });

  test('the tooltip says why, and that the engine is paused', () => {
    expect(trayStateFor({ health: health('ok'), running: true, lanEnabled: false }).tooltip).toBe('Vigil — all good');
    expect(trayStateFor({ health: health('critical', ['3 of 4 failed', 'x']), running: true, lanEnabled: false }).tooltip).toBe(
      'Vigil — critical: 3 of 4 failed (+1 more)',
    );
    expect(trayStateFor({ health: health('warning', ['w']), running: false, lanEnabled: false }).tooltip).toBe('Vigil — paused');
  });

  test('the menu: open, pause or resume, LAN on/off, quit', () => {
    const running = trayStateFor({ health: null, running: true, lanEnabled: false }).menu;
    expect(running).toEqual([
      { kind: 'action', action: 'open', label: 'Open Vigil' },
      { kind: 'action', action: 'toggle-engine', label: 'Pause watching' },
      { kind: 'checkbox', action: 'toggle-lan', label: 'LAN server', checked: false },
      { kind: 'separator' },
      { kind: 'action', action: 'quit', label: 'Quit Vigil' },
    ]);
    const paused = trayStateFor({ health: null, running: false, lanEnabled: true }).menu;
    expect(paused[1]).toMatchObject({ label: 'Resume watching' });
    expect(paused[2]).toMatchObject({ checked: true });
  });

  test('health and engine events move the inputs; other events leave them', () => {
    const events: EngineEvent[] = [
      { seq: 1, ts: 0, type: 'health:changed', payload: { health: health('critical', ['boom']) } },
      { seq: 2, ts: 0, type: 'engine:state', payload: { running: false } },
      { seq: 3, ts: 0, type: 'project:removed', payload: { projectId: 'p' } },
    ];
    const after = trayInputsAfter({ health: health('ok'), running: true, lanEnabled: true }, events);
    expect(after).toEqual({ health: health('critical', ['boom']), running: false, lanEnabled: true });
    expect(trayStateFor(after).icon).toBe('critical');
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

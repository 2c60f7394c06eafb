// The tray draws a TrayState: its icon follows health and its menu runs the actions (electron mocked).
import { beforeEach, describe, expect, test, vi } from 'vitest';
import type { TrayAction } from '../../../main/desktop/tray-state';
import { trayStateFor } from '../../../main/desktop/tray-state';
import type { Health } from '../../../shared/model';
import { Tray, resetFakeElectron } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

const { createTray } = await import('../../../main/electron/tray');

const icons = { ok: '/res/tray/tray-ok.png', warning: '/res/tray/tray-warning.png', critical: '/res/tray/tray-critical.png' };
const health = (level: Health['level']): Health => ({
  level,
  since: 0,
  conditions: level === 'ok' ? [] : [{ key: 'k', level, message: `${level} thing`, hint: null, projectId: null, since: 0 }],
});

beforeEach(() => resetFakeElectron());

describe('the tray', () => {
  test('its icon follows health: ok, warning, critical', () => {
    const tray = createTray(icons, trayStateFor({ health: health('ok'), running: true, lanEnabled: false, waiting: [] }), () => undefined);
    const fake = Tray.created[0] as Tray;
    expect(fake.image).toEqual({ path: icons.ok });
    expect(fake.tooltip).toBe('Vigil — all good');
    tray.update(trayStateFor({ health: health('warning'), running: true, lanEnabled: false, waiting: [] }));
    expect(fake.image).toEqual({ path: icons.warning });
    tray.update(trayStateFor({ health: health('critical'), running: true, lanEnabled: false, waiting: [] }));
    expect(fake.image).toEqual({ path: icons.critical });
    expect(fake.tooltip).toBe('Vigil — critical: critical thing');
  });

  test('the menu runs open, pause, LAN and quit; a click on the icon opens the window', () => {
    const actions: TrayAction[] = [];
    createTray(icons, trayStateFor({ health: null, running: true, lanEnabled: true, waiting: [] }), (a) => actions.push(a));
    const fake = Tray.created[0] as Tray;
    const items = fake.menu?.template ?? [];
    expect(items.map((i) => i.label ?? i.type)).toEqual(['Open Vigil', 'Pause watching', 'LAN server', 'separator', 'Quit Vigil']);
    expect(items[2]).toMatchObject({ type: 'checkbox', checked: true });
    for (const item of items) item.click?.();
    fake.emit('click');
    expect(actions).toEqual(['open', 'toggle-engine', 'toggle-lan', 'quit', 'open']);
  });

  test('pausing the engine relabels the menu', () => {
    const tray = createTray(icons, trayStateFor({ health: null, running: true, lanEnabled: false, waiting: [] }), () => undefined);
    tray.update(trayStateFor({ health: null, running: false, lanEnabled: false, waiting: [] }));
    expect(Tray.created[0]?.menu?.template[1]?.label).toBe('Resume watching');
    tray.destroy();
    expect(Tray.created[0]?.destroyed).toBe(true);
  });
});

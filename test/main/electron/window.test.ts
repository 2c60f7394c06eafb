// The window is created with the hardened options of docs/architecture.md, security (electron
// mocked).
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { BrowserWindow, resetFakeElectron } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

const { createMainWindow, focusWindow } = await import('../../../main/electron/window');

beforeEach(() => resetFakeElectron());

describe('the main window', () => {
  test('web preferences are the hardened ones', () => {
    const window = createMainWindow({ preloadPath: '/app/dist/preload.cjs', appUrl: 'file:///app/dist/renderer/index.html' }) as unknown as BrowserWindow;
    expect(window.options.webPreferences).toEqual({
      preload: '/app/dist/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
      safeDialogs: true,
      spellcheck: false,
    });
  });

  test('the window is built with them, loads the app URL and shows when ready', () => {
    const window = createMainWindow({ preloadPath: '/app/dist/preload.cjs', appUrl: 'file:///app/dist/renderer/index.html' }) as unknown as BrowserWindow;
    expect(BrowserWindow.created).toHaveLength(1);
    const prefs = window.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, preload: '/app/dist/preload.cjs' });
    expect(window.options.show).toBe(false);
    expect(window.loadedUrl).toBe('file:///app/dist/renderer/index.html');
    expect(window.visible).toBe(false);
    window.emit('ready-to-show');
    expect(window.visible).toBe(true);
  });

  test('focusing brings a hidden or minimized window back', () => {
    const window = createMainWindow({ preloadPath: '/p', appUrl: 'file:///i.html' }) as unknown as BrowserWindow;
    window.minimized = true;
    focusWindow(window as never);
    expect(window).toMatchObject({ minimized: false, visible: true, focused: true });
  });
});

// The composition of the desktop app, run for real (engine, config, tokens, LAN server) with
// only 'electron' mocked: single instance, the window and its IPC, the tray following
// health, notifications focusing items, close-to-tray, and a quit that closes everything.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { desktopChannel, protocolChannel, HELLO_CHANNEL, REQUEST_CHANNEL } from '../../../shared/ipc-channels';
import type { Hello, Reply } from '../../../shared/protocol';
import type { LanState } from '../../../shared/desktop-protocol';
import { projectIdFor } from '../../../main/engine/project-id';
import { until, writeTasks } from '../server/world';
import { BrowserWindow, Notification, Tray, app, ipcMain, resetFakeElectron } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');
// Importing the entry runs main() once against a fake app that never becomes ready.
const { main, APP_USER_MODEL_ID } = await import('../../../main/electron/main');

let base: string;
const savedConfigDir = process.env.VIGIL_CONFIG_DIR;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'vigil-app-'));
  resetFakeElectron();
  app.appPath = repoRoot;
  process.env.VIGIL_CONFIG_DIR = join(base, 'config');
});

afterEach(async () => {
  if (!app.quitted) app.quit();
  await until(() => app.quitted, 'the app to finish quitting');
  if (savedConfigDir === undefined) delete process.env.VIGIL_CONFIG_DIR;
  else process.env.VIGIL_CONFIG_DIR = savedConfigDir;
  await rm(base, { recursive: true, force: true });
});

/** What our renderer's frame looks like to ipcMain. */
function fromWindow(window: BrowserWindow) {
  return { sender: { id: window.webContents.id }, senderFrame: { url: window.loadedUrl, parent: null } };
}

function invoke<T>(window: BrowserWindow, channel: string, ...args: unknown[]): Promise<T> {
  const handler = ipcMain.handlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return Promise.resolve(handler(fromWindow(window), ...args) as T);
}

async function startApp(): Promise<BrowserWindow> {
  main();
  app.becomeReady();
  return until(() => BrowserWindow.created[0], 'the window');
}

describe('one Vigil per user', () => {
  test('a second instance quits at once and opens nothing', async () => {
    app.lockGranted = false;
    main();
    app.becomeReady();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(app.quitCalls).toBe(1);
    expect(BrowserWindow.created).toEqual([]);
    app.quitted = true;
  });

  test('the first instance brings its window forward when a second one starts', async () => {
    const window = await startApp();
    window.close(); // closeToTray: hidden
    expect(window.visible).toBe(false);
    app.emit('second-instance', {}, [], '');
    expect(window).toMatchObject({ visible: true, focused: true });
  });
});

describe('the desktop app', () => {
  test('config lives in VIGIL_CONFIG_DIR (shared with the CLI); the window loads the built renderer', async () => {
    const window = await startApp();
    expect(app.getPath('userData')).toBe(join(base, 'config'));
    expect(app.getPath('sessionData')).toBe(join(base, 'config', 'chromium'));
    expect(app.appUserModelId).toBe(APP_USER_MODEL_ID);
    expect(window.loadedUrl).toBe(pathToFileURL(join(repoRoot, 'dist', 'renderer', 'index.html')).href);
    expect(window.options.webPreferences).toMatchObject({ preload: join(repoRoot, 'dist', 'preload.cjs'), sandbox: true, contextIsolation: true });
  });

  test('the window says hello over IPC, adds a project, and receives its events', async () => {
    const window = await startApp();
    const hello = await invoke<Hello>(window, HELLO_CHANNEL);
    expect(hello.snapshot.projects).toEqual([]);
    const dir = join(base, 'alpha');
    await writeTasks(dir, [{ id: 1, title: 'Login page', status: 'in-progress' }]);
    const added = await invoke<Reply<{ projectId: string }>>(window, REQUEST_CHANNEL, 'project:add', { root: dir });
    expect(added).toEqual({ ok: true, data: { projectId: projectIdFor(dir) } });
    await until(() => window.webContents.sent.some((m) => m.channel === protocolChannel('events')), 'events pushed to the window');
    await until(() => window.webContents.sent.some((m) => m.channel === protocolChannel('heartbeat')), 'a heartbeat pushed');
  });

  test('an item finishing notifies; clicking it focuses the window and the item', async () => {
    const window = await startApp();
    await invoke(window, HELLO_CHANNEL);
    const dir = join(base, 'alpha');
    await writeTasks(dir, [{ id: 1, title: 'Login page', status: 'in-progress' }]);
    await invoke(window, REQUEST_CHANNEL, 'project:add', { root: dir });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await writeTasks(dir, [{ id: 1, title: 'Login page', status: 'done' }]);
    const shown = await until(() => Notification.shown[0], 'a notification');
    expect(shown.options.title).toBe('Done: Login page');
    window.hide();
    shown.emit('click');
    expect(window.visible).toBe(true);
    const focus = window.webContents.sent.find((m) => m.channel === desktopChannel('focus:item'));
    expect(focus?.args[0]).toMatchObject({ projectId: projectIdFor(dir), kind: 'plan' });
  });

  test('the tray shows health and its menu pauses the engine', async () => {
    const window = await startApp();
    const tray = await until(() => Tray.created[0], 'the tray');
    expect(tray.image.path).toBe(join(repoRoot, 'build', 'tray', 'tray-ok.png'));
    tray.menu?.template.find((i) => i.label === 'Pause watching')?.click?.();
    await until(() => Tray.created[0]?.menu?.template.some((i) => i.label === 'Resume watching'), 'the menu to say Resume');
    const hello = await invoke<Hello>(window, HELLO_CHANNEL);
    expect(hello.snapshot.running).toBe(false);
  });

  test("an agent's Notification hook reaches the app: the tray turns amber and says so, a notification shows; Stop turns it back", async () => {
    const window = await startApp();
    const tray = await until(() => Tray.created[0], 'the tray');
    const dir = join(base, 'alpha');
    await writeTasks(dir, [{ id: 1, title: 'Login page', status: 'in-progress' }]);
    await invoke(window, REQUEST_CHANNEL, 'project:add', { root: dir });
    // The app's hook listener has written where `vigil hook` should post.
    await until(() => existsSync(join(base, 'config', 'hook-endpoint.json')), 'the hook endpoint file');
    const post = (event: string, extra: object): Promise<number | null> => {
      const child = spawn(process.execPath, [join(repoRoot, 'dist', 'hook.cjs'), 'claude', '--config-dir', join(base, 'config')], {
        cwd: dir,
        stdio: ['pipe', 'ignore', 'ignore'],
        env: { ...process.env, VIGIL_HOOK_MIN_WORK_MS: '5000' },
      });
      child.stdin.end(JSON.stringify({ session_id: 'desk-1', cwd: dir, hook_event_name: event, ...extra }));
      return new Promise((resolve) => child.once('close', resolve));
    };
    expect(await post('Notification', { message: 'Claude needs your permission to use Bash', notification_type: 'permission_prompt' })).toBe(0);
    await until(() => tray.image.path.endsWith('tray-warning.png'), 'the amber tray');
    expect(tray.tooltip).toBe('Vigil — an agent needs you');
    expect(tray.menu?.template[0]?.label).toBe('An agent needs you…');
    const shown = await until(() => Notification.shown.find((n) => n.options.title?.startsWith('Claude Code needs you')), 'a notification');
    expect(shown.options.body).toBe('Claude needs your permission to use Bash');
    expect(await post('Stop', { stop_hook_active: false })).toBe(0);
    await until(() => tray.image.path.endsWith('tray-ok.png'), 'the tray back to normal');
  });

  test('closing the window keeps Vigil in the tray; with the setting off it quits', async () => {
    const window = await startApp();
    window.close();
    expect(window.destroyedWindow).toBe(false);
    expect(app.quitCalls).toBe(0);
    await invoke(window, desktopChannel('settings:set'), { closeToTray: false });
    window.close();
    expect(window.destroyedWindow).toBe(true);
    app.emit('window-all-closed');
    await until(() => app.quitted, 'the app to quit');
  });

  test('quitting closes the LAN server, the IPC handlers, the tray and the engine', async () => {
    const window = await startApp();
    await invoke(window, desktopChannel('settings:set'), { lan: { enabled: false, host: '127.0.0.1', port: 0 } });
    const lan = await invoke<Reply<LanState>>(window, desktopChannel('lan:set'), { enabled: true });
    if (!lan.ok || !lan.data.url) throw new Error(`LAN did not start: ${JSON.stringify(lan)}`);
    expect((await fetch(new URL('/healthz', lan.data.url))).status).toBe(200);

    app.quit();
    await until(() => app.quitted, 'the app to quit');
    expect(ipcMain.handlers.size).toBe(0);
    expect(Tray.created[0]?.destroyed).toBe(true);
    await expect(fetch(new URL('/healthz', lan.data.url))).rejects.toThrow();
  });

  test('the demo workspace opens from the window and is removed when Vigil quits', async () => {
    const window = await startApp();
    const reply = await invoke<Reply<{ projectIds: string[] }>>(window, REQUEST_CHANNEL, 'demo:start', {});
    if (!reply.ok) throw new Error(`demo:start failed: ${reply.error.message}`);
    expect(reply.data.projectIds.length).toBeGreaterThan(0);
    const roots = (await invoke<Hello>(window, HELLO_CHANNEL)).snapshot.projects.map((p) => p.root);
    expect(roots.length).toBe(reply.data.projectIds.length);
    expect(roots.every((root) => existsSync(root))).toBe(true);
    app.quit();
    await until(() => app.quitted, 'the app to quit');
    expect(roots.some((root) => existsSync(root))).toBe(false);
  });

  test('an untrusted sender gets nothing from the running app', async () => {
    await startApp();
    const handler = ipcMain.handlers.get(desktopChannel('tokens:create'));
    const answer = await handler?.({ sender: { id: 4242 }, senderFrame: { url: 'https://evil.example/', parent: null } }, { scope: 'control' });
    expect(answer).toBeUndefined();
  });
});

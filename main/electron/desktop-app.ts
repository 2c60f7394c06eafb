// The composition root of the desktop app: one engine, its config and tokens, the window
// with its IPC bridge, the tray, notifications, the LAN switch, update checks, and a quit
// that closes every watcher and socket. Decisions live in main/desktop/; this file wires.
import { app, dialog, session, shell, type BrowserWindow } from 'electron';
import { dirname } from 'node:path';
import type { Settings } from '../../shared/settings';
import type { Health } from '../../shared/model';
import { ConfigStore } from '../engine/config';
import { demoStarterFor } from '../demo/start-demo';
import { createJournaledEngine } from '../store/journaled-engine';
import { RENDERER_CSP, devCsp } from '../desktop/csp';
import { createDesktopRequests } from '../desktop/desktop-requests';
import { LanController } from '../desktop/lan-controller';
import { createNotifier } from '../desktop/notifier';
import { closeAll } from '../desktop/shutdown';
import { createChannelAccess } from '../desktop/channel-access';
import { createHooksAccess } from '../desktop/hooks-access';
import { closeAction, trayInputsAfter, trayStateFor, waitingIn, type TrayAction, type TrayInputs } from '../desktop/tray-state';
import { startEngineAlerts } from '../notify/alerts';
import { shouldCheckForUpdates } from '../desktop/update-policy';
import { createWindowSession, type WindowSession } from '../desktop/window-session';
import { startHookListener, type HookListener } from '../server/hook-listener';
import { startServer } from '../server/server';
import { TokenStore } from '../server/tokens';
import { StoredRunJournal } from '../runs/run-table';
import { Runs, forgetProjectActionsTrust, trustProjectActions } from '../runs/runs';
import { hardenAllContents, hardenSession } from './hardening';
import { pushDesktopEvent, pushServerEvent } from './ipc';
import { wireIpc } from './ipc-bridge';
import { showNotice } from './notifications';
import { appFiles, appUrl } from './paths';
import { createTray, type VigilTray } from './tray';
import { createUpdateChecks, type UpdateChecks } from './updater';
import { createMainWindow, focusWindow } from './window';

export interface DesktopApp {
  /** Bring the window back (second instance, macOS dock click), creating it if it was closed. */
  showWindow(): void;
}

const log = (message: string): void => {
  process.stderr.write(`vigil: ${message}\n`);
};

export async function startDesktopApp(): Promise<DesktopApp> {
  const files = appFiles();
  const target = appUrl(files);
  hardenAllContents(log);
  hardenSession(session.defaultSession, target.dev ? devCsp(target.url) : RENDERER_CSP);

  // main.ts pointed userData at Vigil's config folder, so the app and the CLI share projects, settings and tokens.
  const configDir = app.getPath('userData');
  const config = new ConfigStore(configDir, { watch: true, onWarning: log });
  for (const warning of await config.load()) log(warning);
  const { engine, history, close: closeEngine } = await createJournaledEngine({
    config,
    configDir,
    onError: (err) => log(err instanceof Error ? err.message : String(err)),
  });
  for (const condition of history.conditions()) log(condition.message);
  const runsTrouble = (err: unknown): void => log(`runs: ${err instanceof Error ? err.message : String(err)}`);
  const runs = await Runs.open({ engine, config, journal: new StoredRunJournal(history, runsTrouble), onError: runsTrouble });
  // "Open demo workspace" on the first-run screen: a temporary workspace with a simulated agent.
  const demo = demoStarterFor(engine, {
    onError: (err) => log(`demo: ${err instanceof Error ? err.message : String(err)}`),
    actionsTrust: { trust: (root) => trustProjectActions(config, root, Date.now()), forget: (root) => forgetProjectActionsTrust(config, root) },
  });
  const tokens = await TokenStore.open(configDir, { watch: true });
  if (tokens.warning) log(tokens.warning);
  tokens.onWarning(log);

  // Agents' hooks post here whether or not the LAN server is on.
  const hooks: HookListener | null = await startHookListener({ agents: engine.agents, tokens, configDir, log }).catch((err: unknown) => {
    log(`Agent hooks cannot reach Vigil: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  });

  // ntfy, webhooks, Slack: the channels in the config folder get the alerts the rules let through.
  const alerts = startEngineAlerts(engine, config, log);

  const lan = new LanController({
    start: ({ host, port }) =>
      startServer({ engine, history, tokens, host, port, rendererDir: dirname(files.rendererIndex), startDemo: demo.start, runs, log }),
    readToken: () => tokens.defaultReadToken(),
  });

  let window: BrowserWindow | null = null;
  let windowSession: WindowSession | null = null;
  let quitting = false;
  let tray: VigilTray | null = null;

  const createWindow = (): BrowserWindow => {
    const created = createMainWindow({ preloadPath: files.preload, appUrl: target.url, icon: files.windowIcon });
    const contents = created.webContents;
    const thisSession = createWindowSession(engine, (event, ...args) => pushServerEvent(contents, event, ...args), {
      log,
      startDemo: demo.start,
      runs,
      history,
    });
    windowSession = thisSession;
    created.on('close', (event) => {
      if (closeAction({ quitting, closeToTray: config.settings().closeToTray, hasTray: tray !== null }) === 'hide') {
        event.preventDefault();
        created.hide();
      }
    });
    created.on('closed', () => {
      thisSession.close();
      if (window === created) {
        window = null;
        windowSession = null;
      }
    });
    window = created;
    return created;
  };

  const showWindow = (): void => focusWindow(window ?? createWindow());

  const desktopRequests = createDesktopRequests({
    settings: { get: () => config.settings(), update: (patch) => config.updateSettings(patch) },
    lan,
    tokens,
    shell: { showItemInFolder: (path) => shell.showItemInFolder(path), openPath: (path) => shell.openPath(path) },
    pickFolder: async () => {
      const options = { title: 'Add a project folder', properties: ['openDirectory' as const] };
      const picked = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return picked.canceled ? null : (picked.filePaths[0] ?? null);
    },
    projects: () => engine.projects(),
    trustProjectActions: (root) => runs.trustProjectActions(root),
    actions: { get: () => config.reloadActions(), update: (change) => config.updateActions(change) },
    channels: createChannelAccess(config, alerts),
    hooks: createHooksAccess({ projects: () => engine.projects(), configDir, hookScript: files.hookScript }),
  });

  const ipc = wireIpc({
    trustedWindow: () => ({ webContentsId: window?.webContents.id ?? null, appUrl: target.url }),
    session: () => windowSession,
    desktop: desktopRequests,
    log,
  });

  // ---- tray and notifications follow the engine ----
  const snapshot = engine.snapshot();
  let trayInputs: TrayInputs = { health: snapshot.health, running: engine.running, lanEnabled: lan.state().enabled, waiting: waitingIn(snapshot.agents) };
  const redrawTray = (): void => tray?.update(trayStateFor({ ...trayInputs, lanEnabled: lan.state().enabled }));

  const onTrayAction = (action: TrayAction): void => {
    if (action === 'open') showWindow();
    else if (action === 'quit') app.quit();
    else if (action === 'toggle-engine') void engine.setRunning(!engine.running).catch((err: unknown) => log(String(err)));
    else void desktopRequests('lan:set', { enabled: !lan.state().enabled }).then(redrawTray);
  };
  try {
    tray = createTray(files.trayIcons, trayStateFor(trayInputs), onTrayAction);
  } catch (err) {
    // Some Linux desktops have no tray; closing the window then quits (closeAction needs a tray).
    log(`No tray icon: ${err instanceof Error ? err.message : String(err)}`);
  }

  const notifier = createNotifier({
    rules: () => config.settings().notifications,
    projectName: (id) => engine.projects().find((p) => p.id === id)?.name,
    initialHealth: snapshot.health as Health | null,
    show: (notice) =>
      showNotice(notice, (focus) => {
        showWindow();
        if (focus && window) pushDesktopEvent(window.webContents, 'focus:item', focus);
      }),
  });
  const desktopSink = engine.hub.addSink({
    deliver: (batch) => {
      trayInputs = trayInputsAfter(trayInputs, batch);
      redrawTray();
      notifier.handle(batch);
    },
    overflow: () => {
      const now = engine.snapshot();
      trayInputs = { ...trayInputs, health: now.health, running: engine.running, waiting: waitingIn(now.agents) };
      redrawTray();
    },
  });

  // ---- settings: update checks, LAN at start, pushes to the window ----
  let updates: UpdateChecks | null = null;
  const applyUpdates = async (settings: Settings): Promise<void> => {
    // electron-updater is loaded only once the user turned update checks on.
    if (!updates && !shouldCheckForUpdates(settings, app.isPackaged)) return;
    updates ??= await createUpdateChecks(log);
    updates.apply(settings);
  };
  const settingsWatch = config.onChange((change) => {
    if (change.what !== 'settings') return;
    if (window) pushDesktopEvent(window.webContents, 'settings:changed', change.settings);
    void applyUpdates(change.settings);
    redrawTray();
  });
  void applyUpdates(config.settings());
  if (config.settings().lan.enabled) {
    void desktopRequests('lan:set', { enabled: true }).then((reply) => {
      if (reply.ok && reply.data.error) log(reply.data.error);
      redrawTray();
    });
  }

  createWindow();

  // ---- quitting closes everything, once ----
  let closed = false;
  let closing = false;
  app.on('before-quit', (event) => {
    quitting = true;
    if (closed) return;
    event.preventDefault();
    if (closing) return;
    closing = true;
    void closeAll(
      [
        { name: 'IPC handlers', close: () => ipc.close() },
        { name: 'update checks', close: () => updates?.stop() },
        { name: 'notifications', close: () => notifier.close() },
        { name: 'tray', close: () => (desktopSink.close(), tray?.destroy()) },
        { name: 'settings watch', close: () => settingsWatch.close() },
        { name: 'window session', close: () => windowSession?.close() },
        { name: 'LAN server', close: () => lan.close() },
        { name: 'hook listener', close: () => hooks?.close() },
        { name: 'alert channels', close: () => alerts.close() },
        { name: 'token store', close: () => tokens.close() },
        // Before the engine: it removes the demo's projects and deletes its workspace.
        { name: 'demo workspace', close: () => demo.close() },
        // Before the engine too: running agents are stopped and their runs recorded.
        { name: 'runs', close: () => runs.close() },
        { name: 'engine', close: closeEngine },
      ],
      log,
    ).then(() => {
      closed = true;
      app.quit();
    });
  });
  app.on('window-all-closed', () => {
    // closeToTray hides instead of closing, so reaching here means the user meant to quit
    // (macOS keeps apps alive without windows by convention).
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', showWindow);

  return { showWindow };
}

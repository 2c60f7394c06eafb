// A stand-in for the 'electron' module (the one mock this project allows, docs/architecture.md,
// tests): just enough of app, BrowserWindow, webContents, ipcMain/ipcRenderer, contextBridge,
// session, shell, Tray, Menu, nativeImage, Notification and dialog for the thin glue in
// main/electron/ and preload/ to run, recording what it was asked to do. Tests use it with
// vi.mock('electron', () => import('./fake-electron'));
import { EventEmitter } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Listener = (...args: unknown[]) => unknown;

/** An Electron-style event whose default can be prevented. */
export function preventable(): { defaultPrevented: boolean; preventDefault(): void } {
  const event = {
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

let nextContentsId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | null = null;
  destroyed = false;
  url = '';
  readonly mainFrame = { url: '', parent: null };

  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class BrowserWindow extends EventEmitter {
  static created: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  visible = false;
  minimized = false;
  focused = false;
  destroyedWindow = false;

  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.created.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.url = url;
    this.webContents.mainFrame.url = url;
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {
    this.focused = true;
  }
  restore(): void {
    this.minimized = false;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isVisible(): boolean {
    return this.visible;
  }
  /** What clicking the window's close button does. */
  close(): void {
    const event = preventable();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this.destroyedWindow = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

class FakeApp extends EventEmitter {
  lockGranted = true;
  isPackaged = false;
  appPath = '/opt/vigil-dev';
  readonly paths = new Map<string, string>([
    // Never written: tests that start the app point userData at their own temp folder.
    ['appData', join(tmpdir(), 'vigil-fake-appData')],
    ['userData', join(tmpdir(), 'vigil-fake-appData', 'Vigil')],
  ]);
  quitCalls = 0;
  exitCode: number | null = null;
  appUserModelId: string | null = null;
  private readyResolve: (() => void) | null = null;
  private readonly ready = new Promise<void>((resolve) => {
    this.readyResolve = resolve;
  });

  requestSingleInstanceLock(): boolean {
    return this.lockGranted;
  }
  whenReady(): Promise<void> {
    return this.ready;
  }
  /** Test helper: Electron finished starting. */
  becomeReady(): void {
    this.readyResolve?.();
  }
  /** Set once a quit went through (no before-quit listener prevented it). */
  quitted = false;
  quit(): void {
    this.quitCalls += 1;
    const event = preventable();
    this.emit('before-quit', event);
    if (!event.defaultPrevented) this.quitted = true;
  }
  exit(code: number): void {
    this.exitCode = code;
  }
  getPath(name: string): string {
    const path = this.paths.get(name);
    if (!path) throw new Error(`fake app has no path ${name}`);
    return path;
  }
  setPath(name: string, path: string): void {
    this.paths.set(name, path);
  }
  getAppPath(): string {
    return this.appPath;
  }
  setAppUserModelId(id: string): void {
    this.appUserModelId = id;
  }
}

export let app = new FakeApp();

class FakeIpcMain {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, handler: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
}
export let ipcMain = new FakeIpcMain();

class FakeIpcRenderer extends EventEmitter {
  readonly invoked: { channel: string; args: unknown[] }[] = [];
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    return { channel, args };
  }
}
export let ipcRenderer = new FakeIpcRenderer();

export const webUtils = {
  getPathForFile(file: { name: string }): string {
    return `/dropped/${file.name}`;
  },
};

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown): void {
    contextBridge.exposed.set(key, api);
  },
};

export const shell = {
  opened: [] as string[],
  revealed: [] as string[],
  openedPaths: [] as string[],
  async openExternal(url: string): Promise<void> {
    shell.opened.push(url);
  },
  showItemInFolder(path: string): void {
    shell.revealed.push(path);
  },
  async openPath(path: string): Promise<string> {
    shell.openedPaths.push(path);
    return '';
  },
};

export class FakeSession {
  headersListener: ((details: { responseHeaders?: Record<string, string[]> }, callback: (r: unknown) => void) => void) | null = null;
  permissionRequestHandler: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null;
  permissionCheckHandler: ((...args: unknown[]) => boolean) | null = null;
  devicePermissionHandler: ((...args: unknown[]) => boolean) | null = null;
  readonly webRequest = {
    onHeadersReceived: (listener: FakeSession['headersListener']) => {
      this.headersListener = listener;
    },
  };
  setPermissionRequestHandler(handler: FakeSession['permissionRequestHandler']): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: FakeSession['permissionCheckHandler']): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: FakeSession['devicePermissionHandler']): void {
    this.devicePermissionHandler = handler;
  }
}
export const session = { defaultSession: new FakeSession() };

export const nativeImage = {
  createFromPath: (path: string) => ({ path }),
};

export const Menu = {
  buildFromTemplate: (template: unknown[]) => ({ template }),
};

export class Tray extends EventEmitter {
  static created: Tray[] = [];
  image: { path: string };
  tooltip = '';
  menu: { template: { label?: string; type?: string; checked?: boolean; click?: () => void }[] } | null = null;
  destroyed = false;
  constructor(image: { path: string }) {
    super();
    this.image = image;
    Tray.created.push(this);
  }
  setImage(image: { path: string }): void {
    this.image = image;
  }
  setToolTip(tooltip: string): void {
    this.tooltip = tooltip;
  }
  setContextMenu(menu: Tray['menu']): void {
    this.menu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class Notification extends EventEmitter {
  static shown: Notification[] = [];
  static isSupported(): boolean {
    return true;
  }
  constructor(readonly options: { title: string; body: string }) {
    super();
  }
  show(): void {
    Notification.shown.push(this);
  }
}

export const dialog = {
  async showOpenDialog(): Promise<{ canceled: boolean; filePaths: string[] }> {
    return { canceled: true, filePaths: [] };
  },
};

/** A fresh Electron for the next test. */
export function resetFakeElectron(): void {
  app = new FakeApp();
  ipcMain = new FakeIpcMain();
  ipcRenderer = new FakeIpcRenderer();
  contextBridge.exposed.clear();
  shell.opened.length = 0;
  shell.revealed.length = 0;
  shell.openedPaths.length = 0;
  session.defaultSession = new FakeSession();
  BrowserWindow.created = [];
  Tray.created = [];
  Notification.shown = [];
}

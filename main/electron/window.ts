// The one Vigil window, created with the hardened options of docs/architecture.md (security).
import { BrowserWindow } from 'electron';

export interface MainWindowOptions {
  preloadPath: string;
  /** The built index.html as a file:// URL, or the dev server. */
  appUrl: string;
  icon?: string;
}

/**
 * The options are written out literally, not assembled, so electronegativity (which reads
 * the source) can see every one of them: no Node in the page, an isolated and sandboxed
 * preload, the web's security model intact, no <webview>, middle-click cannot open windows.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    title: 'Vigil',
    // Shown on ready-to-show, so the user never sees an empty white frame.
    show: false,
    backgroundColor: '#0d1117',
    icon: options.icon,
    webPreferences: {
      preload: options.preloadPath,
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
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.appUrl);
  return window;
}

/** Bring the window to the front (second instance, tray "Open", a notification click). */
export function focusWindow(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore();
  if (!window.isVisible()) window.show();
  window.focus();
}

// Where the app's files are: beside the app (dist/ inside app.asar when packaged, the repo
// in development) and, for the tray icons, in resources/ (electron-builder extraResources).
import { app } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HealthLevel } from '../../shared/model';

/** Set by scripts/dev.mjs: load the renderer from Vite's dev server instead of dist/. */
export const DEV_SERVER_ENV = 'VIGIL_DEV_SERVER_URL';

export interface AppFiles {
  preload: string;
  rendererIndex: string;
  trayIcons: Record<HealthLevel, string>;
  windowIcon: string;
  /** The hook agents run (`node dist/hook.cjs`); unpacked from app.asar, which Node cannot read. */
  hookScript: string;
}

export function appFiles(): AppFiles {
  const root = app.getAppPath();
  const images = app.isPackaged ? process.resourcesPath : join(root, 'build');
  return {
    preload: join(root, 'dist', 'preload.cjs'),
    rendererIndex: join(root, 'dist', 'renderer', 'index.html'),
    trayIcons: {
      ok: join(images, 'tray', 'tray-ok.png'),
      warning: join(images, 'tray', 'tray-warning.png'),
      critical: join(images, 'tray', 'tray-critical.png'),
    },
    windowIcon: join(images, app.isPackaged ? 'icon.png' : 'icons/256x256.png'),
    hookScript: app.isPackaged ? join(process.resourcesPath, 'app.asar.unpacked', 'dist', 'hook.cjs') : join(root, 'dist', 'hook.cjs'),
  };
}

/**
 * What the window loads. A packaged app always loads its own files: the dev server variable
 * is honoured only in development, so an environment variable cannot point Vigil elsewhere.
 */
export function appUrl(files: AppFiles, env: NodeJS.ProcessEnv = process.env): { url: string; dev: boolean } {
  const dev = !app.isPackaged ? env[DEV_SERVER_ENV] : undefined;
  if (dev) return { url: dev, dev: true };
  return { url: pathToFileURL(files.rendererIndex).href, dev: false };
}

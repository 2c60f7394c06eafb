// The Electron entry: one instance per user, Vigil's config folder as userData, then the
// desktop app (desktop-app.ts). Nothing else here: everything that decides is testable
// without Electron in main/desktop/.
import { app } from 'electron';
import { join } from 'node:path';
import { defaultConfigDir } from '../engine/config-dir';
import { startDesktopApp, type DesktopApp } from './desktop-app';

export const APP_USER_MODEL_ID = 'dev.vigil.app';

/**
 * The app keeps its config where the CLI does (VIGIL_CONFIG_DIR, else ~/.config/vigil on
 * Linux, %APPDATA%\vigil, ~/Library/Application Support/vigil), so `vigil serve` and
 * `vigil token` see the same projects, settings and tokens. Chromium's own data goes in a
 * subfolder so it does not crowd them.
 */
export function useVigilConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = defaultConfigDir(env);
  app.setPath('userData', dir);
  app.setPath('sessionData', join(dir, 'chromium'));
  return dir;
}

export function main(): void {
  useVigilConfigDir();
  app.setAppUserModelId(APP_USER_MODEL_ID);
  if (!app.requestSingleInstanceLock()) {
    // Another Vigil is running: it focuses its window (second-instance), this one leaves.
    app.quit();
    return;
  }
  let desktop: DesktopApp | null = null;
  app.on('second-instance', () => desktop?.showWindow());
  app.whenReady().then(
    async () => {
      desktop = await startDesktopApp();
    },
    (err: unknown) => fail(err),
  ).catch(fail);
}

function fail(err: unknown): void {
  process.stderr.write(`vigil: could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  app.exit(1);
}

main();

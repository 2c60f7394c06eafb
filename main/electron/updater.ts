// electron-updater against the GitHub releases of electron-builder.yml `publish`. Nothing is
// checked unless the `checkForUpdates` setting is on (off by default) and the app is packaged.
import { app } from 'electron';
import { UPDATE_CHECK_INTERVAL_MS, shouldCheckForUpdates } from '../desktop/update-policy';
import type { Settings } from '../../shared/settings';

export interface UpdateChecks {
  apply(settings: Settings): void;
  stop(): void;
}

/** electron-updater is imported here, on first use, so an app with update checks off never loads it. */
export async function createUpdateChecks(log: (message: string) => void): Promise<UpdateChecks> {
  const { autoUpdater } = (await import('electron-updater')).default;
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.logger = null;
  let timer: ReturnType<typeof setInterval> | null = null;

  const check = (): void => {
    autoUpdater.checkForUpdatesAndNotify().catch((err: unknown) => {
      log(`Update check failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  };
  const stop = (): void => {
    if (timer !== null) clearInterval(timer);
    timer = null;
  };
  return {
    apply(settings) {
      if (!shouldCheckForUpdates(settings, app.isPackaged)) return stop();
      if (timer !== null) return;
      check();
      timer = setInterval(check, UPDATE_CHECK_INTERVAL_MS);
    },
    stop,
  };
}

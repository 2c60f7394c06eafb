// Update checks are off by default (a desktop app phoning home is the user's choice); the
// `checkForUpdates` setting turns them on. Only a packaged build has the feed to check.
import type { Settings } from '../../shared/settings';

export const UPDATE_CHECK_INTERVAL_MS = 6 * 60 * 60 * 1000;

export function shouldCheckForUpdates(settings: Pick<Settings, 'checkForUpdates'>, isPackaged: boolean): boolean {
  return settings.checkForUpdates && isPackaged;
}

import { expect, test } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import { shouldCheckForUpdates } from '../../../main/desktop/update-policy';

test('update checks are off by default and only ever run in a packaged app', () => {
  expect(DEFAULT_SETTINGS.checkForUpdates).toBe(false);
  expect(shouldCheckForUpdates(DEFAULT_SETTINGS, true)).toBe(false);
  expect(shouldCheckForUpdates({ checkForUpdates: true }, true)).toBe(true);
  expect(shouldCheckForUpdates({ checkForUpdates: true }, false)).toBe(false);
});

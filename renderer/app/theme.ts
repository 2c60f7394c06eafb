// The theme the person chose (system, light or dark, remembered in this browser) applied to the
// page: `data-theme` on <html> carries the resolved one, and the CSS reads only that.
import { useEffect, useSyncExternalStore } from 'react';
import { useUi } from './ui-store';

const DARK_QUERY = '(prefers-color-scheme: dark)';

function subscribeToSystem(listener: () => void): () => void {
  const query = globalThis.matchMedia?.(DARK_QUERY);
  query?.addEventListener('change', listener);
  return () => query?.removeEventListener('change', listener);
}

const systemIsDark = (): boolean => globalThis.matchMedia?.(DARK_QUERY).matches ?? false;

/** Apply the chosen theme; returns the one in effect. */
export function useAppliedTheme(): 'light' | 'dark' {
  const choice = useUi((s) => s.theme);
  const systemDark = useSyncExternalStore(subscribeToSystem, systemIsDark);
  const resolved = choice === 'system' ? (systemDark ? 'dark' : 'light') : choice;
  useEffect(() => {
    const root = document.documentElement;
    root.dataset.theme = resolved;
    root.style.colorScheme = resolved;
  }, [resolved]);
  return resolved;
}

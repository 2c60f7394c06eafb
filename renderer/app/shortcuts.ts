// Keys 1–7 switch tabs, Escape closes the log panel — unless the person is typing.
import { useEffect } from 'react';
import { TABS, useUi } from './ui-store';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function useShortcuts(enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || isTyping(e.target)) return;
      const index = Number(e.key) - 1;
      if (Number.isInteger(index) && index >= 0 && index < TABS.length) {
        useUi.getState().setTab(TABS[index]!);
        e.preventDefault();
      } else if (e.key === 'Escape' && useUi.getState().openLog) {
        useUi.getState().setOpenLog(null);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}

/** Keep the tab in the fragment (`#tab=plans`) so a reload or a shared link opens the same view. */
export function useTabInUrl(): void {
  const tab = useUi((s) => s.tab);
  useEffect(() => {
    const params = new URLSearchParams(window.location.hash.slice(1));
    if (params.get('tab') === tab) return;
    params.set('tab', tab);
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}#${params}`);
  }, [tab]);
}

// Keys 1–7 switch tabs, ? lists the keys, Escape closes what is on top (the key list, an item,
// the log panel) — unless the person is typing.
import { useEffect } from 'react';
import { itemFromParam, itemToParam, TABS, useUi } from './ui-store';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function useShortcuts(enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const ui = useUi.getState();
      if (e.key === 'Escape') {
        if (ui.shortcutsOpen) ui.setShortcutsOpen(false);
        else if (ui.detail) ui.setDetail(null);
        else if (ui.openLog) ui.setOpenLog(null);
        else return;
        e.preventDefault();
        return;
      }
      if (isTyping(e.target)) return;
      const index = Number(e.key) - 1;
      if (Number.isInteger(index) && index >= 0 && index < TABS.length) {
        ui.setTab(TABS[index]!);
        e.preventDefault();
      } else if (e.key === '?') {
        ui.setShortcutsOpen(!ui.shortcutsOpen);
        e.preventDefault();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}

/** Keep the tab and the open item in the fragment (`#tab=plans&item=…`): a reload or a shared link opens the same view. */
export function useViewInUrl(): void {
  const tab = useUi((s) => s.tab);
  const detail = useUi((s) => s.detail);
  useEffect(() => {
    const params = new URLSearchParams(window.location.hash.slice(1));
    const item = detail ? itemToParam(detail) : null;
    if (params.get('tab') === tab && params.get('item') === item) return;
    params.set('tab', tab);
    if (item) params.set('item', item);
    else params.delete('item');
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}#${params}`);
  }, [tab, detail]);
  // Back/forward or an edited address bar: follow it.
  useEffect(() => {
    const onHash = () => {
      const params = new URLSearchParams(window.location.hash.slice(1));
      const ui = useUi.getState();
      const item = itemFromParam(params.get('item'));
      if ((item ? itemToParam(item) : null) !== (ui.detail ? itemToParam(ui.detail) : null)) ui.setDetail(item);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
}

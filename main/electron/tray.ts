// The tray icon and its menu, drawn from a TrayState (main/desktop/tray-state.ts): this
// file only translates that data into Electron's Tray and Menu.
import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import type { HealthLevel } from '../../shared/model';
import type { TrayAction, TrayMenuItem, TrayState } from '../desktop/tray-state';

export type TrayIcons = Record<HealthLevel, string>;

export interface VigilTray {
  update(state: TrayState): void;
  destroy(): void;
}

export function menuTemplate(items: readonly TrayMenuItem[], onAction: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if (item.kind === 'separator') return { type: 'separator' };
    const click = (): void => onAction(item.action);
    return item.kind === 'checkbox'
      ? { type: 'checkbox', label: item.label, checked: item.checked, click }
      : { label: item.label, click };
  });
}

export function createTray(icons: TrayIcons, initial: TrayState, onAction: (action: TrayAction) => void): VigilTray {
  const images = {
    ok: nativeImage.createFromPath(icons.ok),
    warning: nativeImage.createFromPath(icons.warning),
    critical: nativeImage.createFromPath(icons.critical),
  };
  const tray = new Tray(images[initial.icon]);
  // Linux and Windows open the window on a click; macOS shows the menu (its convention).
  tray.on('click', () => onAction('open'));
  let shown: TrayState | null = null;

  const update = (state: TrayState): void => {
    if (tray.isDestroyed()) return;
    if (shown?.icon !== state.icon) tray.setImage(images[state.icon]);
    if (shown?.tooltip !== state.tooltip) tray.setToolTip(state.tooltip);
    if (JSON.stringify(shown?.menu) !== JSON.stringify(state.menu)) {
      tray.setContextMenu(Menu.buildFromTemplate(menuTemplate(state.menu, onAction)));
    }
    shown = state;
  };
  update(initial);
  return { update, destroy: () => tray.destroy() };
}

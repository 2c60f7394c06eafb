// Shows a Notice (main/notify/rules.ts) as a native notification; a click
// brings the window forward and tells the renderer which item to show.
import { Notification } from 'electron';
import type { FocusTarget, Notice } from '../notify/rules';

export function showNotice(notice: Notice, onClick: (target: FocusTarget | null) => void): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({ title: notice.title, body: notice.body, silent: notice.kind === 'done' });
  notification.on('click', () => onClick(notice.target));
  notification.show();
}

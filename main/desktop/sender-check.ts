// Every IPC message is checked against our own window before it is served: a message from a
// webContents that is not our window (a devtools extension, a future second window, an
// injected frame) or from a frame that is not our renderer page is ignored.

export interface IpcSender {
  /** `event.sender.id` */
  webContentsId: number;
  /** `event.senderFrame?.url`; null when the frame is gone. */
  frameUrl: string | null;
  /** The message came from the top frame, not an iframe. */
  isMainFrame: boolean;
}

export interface TrustedWindow {
  /** Our window's `webContents.id`, null while there is no window. */
  webContentsId: number | null;
  /** What the window loads: the built index.html (file://) or the dev server. */
  appUrl: string;
}

export type SenderVerdict = { trusted: true } | { trusted: false; reason: string };

export function checkSender(sender: IpcSender, window: TrustedWindow): SenderVerdict {
  if (window.webContentsId === null || sender.webContentsId !== window.webContentsId) {
    return { trusted: false, reason: `webContents ${sender.webContentsId} is not the Vigil window` };
  }
  if (!sender.isMainFrame) return { trusted: false, reason: 'message from a sub-frame' };
  if (sender.frameUrl === null || !isSamePage(sender.frameUrl, window.appUrl)) {
    return { trusted: false, reason: `frame at ${sender.frameUrl ?? '(gone)'} is not the Vigil renderer` };
  }
  return { trusted: true };
}

/** file:// must be the very file we loaded; http(s) (the dev server) must be the same origin. */
function isSamePage(frameUrl: string, appUrl: string): boolean {
  let frame: URL;
  let app: URL;
  try {
    frame = new URL(frameUrl);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  if (app.protocol === 'file:') return frame.protocol === 'file:' && frame.pathname === app.pathname;
  return frame.origin === app.origin;
}

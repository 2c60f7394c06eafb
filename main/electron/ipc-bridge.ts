// Wires the engine (through a WindowSession) and the desktop handlers to our window over IPC.
// Every message is checked against our own window first; anything else is ignored and logged.
import type { IpcMainInvokeEvent } from 'electron';
import { DESKTOP_REQUEST_NAMES } from '../../shared/ipc-channels';
import type { Closable } from '../engine/api';
import type { DesktopRequestHandler } from '../desktop/desktop-requests';
import { checkSender, type TrustedWindow } from '../desktop/sender-check';
import type { WindowSession } from '../desktop/window-session';
import { handleDesktopRequest, handleHello, handleRequests, removeHandlers, senderOf } from './ipc';

export interface IpcBridgeOptions {
  /** Our window as it is now (it may be recreated on macOS). */
  trustedWindow: () => TrustedWindow;
  /** The protocol session of that window; null while there is none. */
  session: () => WindowSession | null;
  desktop: DesktopRequestHandler;
  log: (message: string) => void;
}

export function wireIpc(options: IpcBridgeOptions): Closable {
  const { log } = options;

  /** Runs `serve` only for our own window; an untrusted sender gets no answer at all. */
  const guarded =
    (channel: (args: unknown[]) => string, serve: (...args: unknown[]) => unknown) =>
    (event: IpcMainInvokeEvent, ...args: unknown[]): unknown => {
      const verdict = checkSender(senderOf(event), options.trustedWindow());
      if (!verdict.trusted) {
        log(`Ignored IPC ${channel(args).slice(0, 100)}: ${verdict.reason}`);
        return undefined;
      }
      return serve(...args);
    };

  handleHello(guarded(() => 'hello', () => options.session()?.hello()));
  handleRequests(guarded(([name]) => String(name), (name, payload) => options.session()?.request(name, payload)));
  for (const name of DESKTOP_REQUEST_NAMES) {
    handleDesktopRequest(name, guarded(() => name, (payload) => options.desktop(name, payload)));
  }
  return { close: () => removeHandlers(DESKTOP_REQUEST_NAMES) };
}

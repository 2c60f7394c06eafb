// Wires the engine (through a WindowSession) and the desktop handlers to our window over IPC.
// Every message is checked against our own window first; anything else is ignored and logged.
import type { IpcMainInvokeEvent } from 'electron';
import { DESKTOP_REQUEST_NAMES, REQUEST_NAMES } from '../../shared/ipc-channels';
import type { Disposable } from '../engine/api';
import type { DesktopRequestHandler } from '../desktop/desktop-requests';
import { checkSender, type TrustedWindow } from '../desktop/sender-check';
import type { WindowSession } from '../desktop/window-session';
import { handleDesktopRequest, handleHello, handleRequest, removeHandlers, senderOf } from './ipc';

export interface IpcBridgeOptions {
  /** Our window as it is now (it may be recreated on macOS). */
  trustedWindow: () => TrustedWindow;
  /** The protocol session of that window; null while there is none. */
  session: () => WindowSession | null;
  desktop: DesktopRequestHandler;
  log: (message: string) => void;
}

export function wireIpc(options: IpcBridgeOptions): Disposable {
  const { log } = options;

  /** Runs `serve` only for our own window; an untrusted sender gets no answer at all. */
  const guarded =
    (channel: string, serve: (payload: unknown) => unknown) =>
    (event: IpcMainInvokeEvent, payload: unknown): unknown => {
      const verdict = checkSender(senderOf(event), options.trustedWindow());
      if (!verdict.trusted) {
        log(`Ignored IPC ${channel}: ${verdict.reason}`);
        return undefined;
      }
      return serve(payload);
    };

  handleHello(guarded('hello', () => options.session()?.hello()));
  for (const name of REQUEST_NAMES) {
    handleRequest(name, guarded(name, (payload) => options.session()?.request(name, payload)));
  }
  for (const name of DESKTOP_REQUEST_NAMES) {
    handleDesktopRequest(name, guarded(name, (payload) => options.desktop(name, payload)));
  }
  return { dispose: () => removeHandlers(REQUEST_NAMES, DESKTOP_REQUEST_NAMES) };
}

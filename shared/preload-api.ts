// What the preload exposes to the window as `window.vigil`: one function per channel,
// never ipcRenderer itself. The renderer's IPC transport is written against this type.
import type { DesktopApi, DesktopEvents } from './desktop-protocol';
import type { Hello, Reply, RequestName, RequestPayload, RequestResults, ServerEvents } from './protocol';

type Listeners<M> = { [E in keyof M]: (listener: M[E]) => () => void };

export interface PreloadApi {
  /** The window's "connect": main answers with a fresh hello and starts pushing events. */
  hello(): Promise<Hello>;
  /** Any protocol request of shared/protocol.ts, by name; main answers with its reply. */
  request<R extends RequestName>(name: R, payload: RequestPayload<R>): Promise<Reply<RequestResults[R]>>;
  /** Desktop-only requests (settings, LAN server, tokens, folder picker, reveal/open). */
  desktop: DesktopApi;
  /**
   * The file-system path of a file or folder dropped on the window (Electron's
   * `webUtils.getPathForFile`; `File.path` is gone since Electron 32). Optional: a preload
   * without it just means drag-and-drop of folders is not offered.
   */
  pathForFile?(file: File): string;
  /** Subscribe to pushes; each returns its unsubscribe. */
  on: Listeners<ServerEvents> & Listeners<DesktopEvents>;
}

declare global {
  interface Window {
    vigil?: PreloadApi;
  }
}

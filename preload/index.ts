// The bridge between the sandboxed window and main: `window.vigil`, one function per channel
// (PreloadApi in shared/preload-api.ts). ipcRenderer and Electron's event objects never cross
// into the page: listeners receive the payload only. Bundled as CommonJS with nothing but
// 'electron' required, which is all a sandboxed preload may load.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { DesktopApi } from '../shared/desktop-protocol';
import {
  DESKTOP_EVENT_NAMES,
  DESKTOP_REQUEST_NAMES,
  HELLO_CHANNEL,
  REQUEST_CHANNEL,
  SERVER_EVENT_NAMES,
  desktopChannel,
  protocolChannel,
} from '../shared/ipc-channels';
import type { PreloadApi } from '../shared/preload-api';
import type { Hello } from '../shared/protocol';

type Listener = (payload: unknown) => void;

/** Subscribe to one push channel; the page gets the payload, never the IpcRendererEvent. */
function listen(channel: string, listener: Listener): () => void {
  const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
  ipcRenderer.on(channel, forward);
  return () => {
    ipcRenderer.removeListener(channel, forward);
  };
}

function invoker(channel: string) {
  // Only the payload is passed on, whatever else the page adds.
  return (payload: unknown): Promise<unknown> => ipcRenderer.invoke(channel, payload);
}

const desktop = Object.fromEntries(
  DESKTOP_REQUEST_NAMES.map((name) => [name, invoker(desktopChannel(name))]),
) as unknown as DesktopApi;

const on = Object.fromEntries([
  ...SERVER_EVENT_NAMES.map((name) => [name, (listener: Listener) => listen(protocolChannel(name), listener)]),
  ...DESKTOP_EVENT_NAMES.map((name) => [name, (listener: Listener) => listen(desktopChannel(name), listener)]),
]) as unknown as PreloadApi['on'];

const api: PreloadApi = {
  hello: () => ipcRenderer.invoke(HELLO_CHANNEL) as Promise<Hello>,
  // Only the name and the payload are passed on, whatever else the page adds; main checks both.
  request: ((name: unknown, payload: unknown) => ipcRenderer.invoke(REQUEST_CHANNEL, name, payload)) as PreloadApi['request'],
  desktop,
  on,
  // A dropped folder's path: the page sees File objects only, and only the preload may ask Electron where they live.
  pathForFile: (file: File) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('vigil', api);

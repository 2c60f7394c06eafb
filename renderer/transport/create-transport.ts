// Which transport this page gets: the Electron preload when it is there, socket.io otherwise.
import { IpcTransport } from './ipc-transport';
import { SocketTransport } from './socket-transport';
import { takeToken } from './token';
import type { Transport } from './transport';

export function createTransport(win: Window = window): Transport {
  if (win.vigil) return new IpcTransport(win.vigil);
  const token = takeToken({ location: win.location, history: win.history, storage: win.sessionStorage });
  return new SocketTransport({ url: win.location.origin, token });
}

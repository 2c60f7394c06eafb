// The one place that names IPC channels on the main side (GitHub Desktop's ipc-shared.ts
// pattern): typed push and handle wrappers over the maps in shared/, so no raw channel
// string appears anywhere else and the compiler checks every payload.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { DesktopEvents, DesktopRequestName } from '../../shared/desktop-protocol';
import { HELLO_CHANNEL, REQUEST_CHANNEL, desktopChannel, protocolChannel } from '../../shared/ipc-channels';
import type { ServerEvents } from '../../shared/protocol';
import type { IpcSender } from '../desktop/sender-check';

export function pushServerEvent<E extends keyof ServerEvents>(contents: WebContents, event: E, ...args: Parameters<ServerEvents[E]>): void {
  if (!contents.isDestroyed()) contents.send(protocolChannel(event), ...args);
}

export function pushDesktopEvent<E extends keyof DesktopEvents>(contents: WebContents, event: E, ...args: Parameters<DesktopEvents[E]>): void {
  if (!contents.isDestroyed()) contents.send(desktopChannel(event), ...args);
}

/** What the sender check needs from an invoke event. */
export function senderOf(event: IpcMainInvokeEvent): IpcSender {
  const frame = event.senderFrame;
  return { webContentsId: event.sender.id, frameUrl: frame?.url ?? null, isMainFrame: frame !== null && frame.parent === null };
}

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

export function handleHello(handler: Handler): void {
  ipcMain.handle(HELLO_CHANNEL, handler);
}

/** Every protocol request: invoked with its name and payload. */
export function handleRequests(handler: Handler): void {
  ipcMain.handle(REQUEST_CHANNEL, handler);
}

export function handleDesktopRequest(name: DesktopRequestName, handler: Handler): void {
  ipcMain.handle(desktopChannel(name), handler);
}

export function removeHandlers(desktop: readonly DesktopRequestName[]): void {
  ipcMain.removeHandler(HELLO_CHANNEL);
  ipcMain.removeHandler(REQUEST_CHANNEL);
  for (const name of desktop) ipcMain.removeHandler(desktopChannel(name));
}

// Every IPC message is checked against our own window; untrusted senders are ignored with a
// log line and never reach the engine (electron mocked).
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { DESKTOP_REQUEST_NAMES, HELLO_CHANNEL, REQUEST_CHANNEL, desktopChannel } from '../../../shared/ipc-channels';
import type { WindowSession } from '../../../main/desktop/window-session';
import { ipcMain, resetFakeElectron } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

const { wireIpc } = await import('../../../main/electron/ipc-bridge');

const APP_URL = 'file:///opt/Vigil/resources/app.asar/dist/renderer/index.html';
const OUR_ID = 11;

let log: string[];
let served: string[];
let bridge: { close(): void };

const invokeEvent = (senderId: number, frameUrl: string | null = APP_URL, parent: unknown = null) => ({
  sender: { id: senderId },
  senderFrame: frameUrl === null ? null : { url: frameUrl, parent },
});

function invoke(channel: string, event: ReturnType<typeof invokeEvent>, ...args: unknown[]): unknown {
  const handler = ipcMain.handlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return handler(event, ...args);
}

beforeEach(() => {
  resetFakeElectron();
  log = [];
  served = [];
  const session = {
    hello: () => (served.push('hello'), { protocol: 1 }),
    request: async (name: string, payload: unknown) => (served.push(`${name} ${JSON.stringify(payload)}`), { ok: true, data: {} }),
    close: () => undefined,
  } as unknown as WindowSession;
  bridge = wireIpc({
    trustedWindow: () => ({ webContentsId: OUR_ID, appUrl: APP_URL }),
    session: () => session,
    desktop: (async (name: string) => (served.push(`desktop ${name}`), { ok: true, data: {} })) as never,
    log: (line) => log.push(line),
  });
});

describe('the IPC bridge', () => {
  test('one handler per channel: hello, the protocol requests, every desktop request', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual([HELLO_CHANNEL, REQUEST_CHANNEL, ...DESKTOP_REQUEST_NAMES.map(desktopChannel)].sort());
  });

  test('our window is served', async () => {
    expect(invoke(HELLO_CHANNEL, invokeEvent(OUR_ID))).toEqual({ protocol: 1 });
    await invoke(REQUEST_CHANNEL, invokeEvent(OUR_ID), 'engine:stop', {});
    await invoke(desktopChannel('settings:get'), invokeEvent(OUR_ID), {});
    expect(served).toEqual(['hello', 'engine:stop {}', 'desktop settings:get']);
    expect(log).toEqual([]);
  });

  test('another webContents is ignored with a log line, for every kind of channel', () => {
    expect(invoke(HELLO_CHANNEL, invokeEvent(99))).toBeUndefined();
    expect(invoke(REQUEST_CHANNEL, invokeEvent(99), 'project:remove', { projectId: 'x' })).toBeUndefined();
    expect(invoke(desktopChannel('tokens:create'), invokeEvent(99), { scope: 'control' })).toBeUndefined();
    expect(served).toEqual([]);
    expect(log).toEqual([
      'Ignored IPC hello: webContents 99 is not the Vigil window',
      'Ignored IPC project:remove: webContents 99 is not the Vigil window',
      'Ignored IPC tokens:create: webContents 99 is not the Vigil window',
    ]);
  });

  test('a sub-frame or a foreign page inside our window is ignored too', () => {
    expect(invoke(HELLO_CHANNEL, invokeEvent(OUR_ID, APP_URL, { url: APP_URL }))).toBeUndefined();
    expect(invoke(HELLO_CHANNEL, invokeEvent(OUR_ID, 'https://evil.example/'))).toBeUndefined();
    expect(invoke(HELLO_CHANNEL, invokeEvent(OUR_ID, null))).toBeUndefined();
    expect(served).toEqual([]);
    expect(log).toHaveLength(3);
  });
});

describe('closing the bridge', () => {
  test('removes every handler, so a closed app answers nothing', () => {
    expect(ipcMain.handlers.size).toBe(2 + DESKTOP_REQUEST_NAMES.length);
    bridge.close();
    expect(ipcMain.handlers.size).toBe(0);
  });
});

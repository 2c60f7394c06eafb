// window.vigil: one function per channel, listeners that get payloads only, never
// ipcRenderer itself (electron mocked; the built bundle is read as it ships).
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test, vi } from 'vitest';
import type { PreloadApi } from '../../../shared/preload-api';
import { DESKTOP_EVENT_NAMES, DESKTOP_REQUEST_NAMES, REQUEST_CHANNEL, SERVER_EVENT_NAMES } from '../../../shared/ipc-channels';
import { contextBridge, ipcRenderer } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

let api: PreloadApi;

beforeAll(async () => {
  await import('../../../preload/index');
  api = contextBridge.exposed.get('vigil') as PreloadApi;
});

describe('the preload bridge', () => {
  test('exposes exactly hello, request, desktop, on and pathForFile as window.vigil', () => {
    expect([...contextBridge.exposed.keys()]).toEqual(['vigil']);
    expect(Object.keys(api).sort()).toEqual(['desktop', 'hello', 'on', 'pathForFile', 'request']);
    expect(Object.keys(api.desktop).sort()).toEqual([...DESKTOP_REQUEST_NAMES].sort());
    expect(Object.keys(api.on).sort()).toEqual([...SERVER_EVENT_NAMES, ...DESKTOP_EVENT_NAMES].sort());
  });

  test('nothing of ipcRenderer is reachable from the exposed object', () => {
    const seen = new Set<unknown>();
    const walk = (value: unknown): void => {
      if (value === null || typeof value !== 'object' || seen.has(value)) return;
      seen.add(value);
      expect(value).not.toBe(ipcRenderer);
      for (const inner of Object.values(value)) walk(inner);
    };
    walk(api);
    expect(typeof api.request).toBe('function');
    for (const group of [api.desktop, api.on]) {
      for (const fn of Object.values(group)) expect(typeof fn).toBe('function');
    }
  });

  test('a dropped folder resolves to its path through webUtils', () => {
    expect(api.pathForFile?.({ name: 'my-repo' } as File)).toBe('/dropped/my-repo');
  });

  test('protocol requests share one channel with their name; desktop requests have their own; nothing else is passed', async () => {
    await (api.request as (...args: unknown[]) => Promise<unknown>)('subscribe', { projects: 'all' }, 'extra');
    await api.desktop['item:reveal']({ projectId: 'p', path: 'a.md' });
    await api.hello();
    expect(ipcRenderer.invoked).toEqual([
      { channel: REQUEST_CHANNEL, args: ['subscribe', { projects: 'all' }] },
      { channel: 'vigil:desktop:item:reveal', args: [{ projectId: 'p', path: 'a.md' }] },
      { channel: 'vigil:hello', args: [] },
    ]);
  });

  test('listeners get the payload, not the IPC event, and unsubscribe', () => {
    const got: unknown[] = [];
    const off = api.on.events((batch) => got.push(batch));
    const focus = api.on['focus:item']((target) => got.push(target));
    ipcRenderer.emit('vigil:events', { sender: 'the IpcRendererEvent' }, [{ seq: 1 }]);
    ipcRenderer.emit('vigil:desktop:focus:item', { sender: 'x' }, { projectId: 'p', kind: 'plan', id: 'i' });
    expect(got).toEqual([[{ seq: 1 }], { projectId: 'p', kind: 'plan', id: 'i' }]);
    off();
    focus();
    ipcRenderer.emit('vigil:events', {}, [{ seq: 2 }]);
    expect(got).toHaveLength(2);
    expect(ipcRenderer.listenerCount('vigil:events')).toBe(0);
  });

  test('the built preload requires nothing but electron (a sandboxed preload can load nothing else)', () => {
    const built = new URL('../../../dist/preload.cjs', import.meta.url);
    if (!existsSync(built)) throw new Error('dist/preload.cjs is missing: run `npm run build`');
    const required = [...readFileSync(built, 'utf8').matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
  });
});

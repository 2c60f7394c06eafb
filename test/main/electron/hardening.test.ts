// Navigation, new windows, <webview>, permissions and the CSP header (electron mocked).
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { FakeSession, FakeWebContents, app, preventable, resetFakeElectron, shell } from './fake-electron';
import { RENDERER_CSP, cspHeaderValue } from '../../../main/desktop/csp';

vi.mock('electron', () => import('./fake-electron'));

const { hardenAllContents, hardenContents, hardenSession } = await import('../../../main/electron/hardening');

let log: string[];
let contents: FakeWebContents;

beforeEach(() => {
  resetFakeElectron();
  log = [];
  contents = new FakeWebContents();
  hardenContents(contents as never, (line) => log.push(line));
});

describe('navigation and new windows are denied', () => {
  test('will-navigate is prevented; a web link opens in the browser instead', () => {
    const event = preventable();
    contents.emit('will-navigate', event, 'https://example.com/docs');
    expect(event.defaultPrevented).toBe(true);
    expect(shell.opened).toEqual(['https://example.com/docs']);
  });

  test('navigating to a file or script URL is prevented and opens nothing', () => {
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'vigil://x']) {
      const event = preventable();
      contents.emit('will-navigate', event, url);
      expect(event.defaultPrevented).toBe(true);
    }
    expect(shell.opened).toEqual([]);
    expect(log).toHaveLength(3);
  });

  test('window.open is always denied; only http(s) goes to the browser', () => {
    expect(contents.windowOpenHandler?.({ url: 'https://github.com/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'file:///home/me/.ssh/id_rsa' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'about:blank' })).toEqual({ action: 'deny' });
    expect(shell.opened).toEqual(['https://github.com/']);
  });

  test('redirects and <webview> are prevented', () => {
    const redirect = preventable();
    contents.emit('will-redirect', redirect, 'https://evil.example/');
    const webview = preventable();
    contents.emit('will-attach-webview', webview, {}, {});
    expect(redirect.defaultPrevented && webview.defaultPrevented).toBe(true);
  });

  test('every web contents the app creates later is hardened too', () => {
    hardenAllContents(() => undefined);
    const later = new FakeWebContents();
    app.emit('web-contents-created', {}, later);
    expect(later.windowOpenHandler?.({ url: 'https://x.example/' })).toEqual({ action: 'deny' });
  });
});

describe('the session', () => {
  let ses: FakeSession;
  beforeEach(() => {
    ses = new FakeSession();
    hardenSession(ses as never, RENDERER_CSP);
  });

  test('permission requests are denied, whatever is asked', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const answers: boolean[] = [];
      ses.permissionRequestHandler?.({}, permission, (granted) => answers.push(granted));
      expect(answers).toEqual([false]);
      expect(ses.permissionCheckHandler?.({}, permission, 'file://', {})).toBe(false);
    }
    expect(ses.devicePermissionHandler?.({})).toBe(false);
  });

  test('every response carries our CSP header', () => {
    let response: unknown;
    ses.headersListener?.({ responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => (response = r));
    expect(response).toEqual({
      responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [cspHeaderValue(RENDERER_CSP)] },
    });
  });
});

// The Electron-free halves of the window's hardening: who may talk over IPC, where the window
// may go, and the CSP it is served with.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { RENDERER_CSP, cspHeaderValue, devCsp, withCspHeader } from '../../../main/desktop/csp';
import { decideNavigation, externalUrlToOpen } from '../../../main/desktop/navigation-policy';
import { checkSender } from '../../../main/desktop/sender-check';

describe('IPC sender check', () => {
  const window = { webContentsId: 7, appUrl: 'file:///opt/Vigil/resources/app.asar/dist/renderer/index.html' };
  const ours = { webContentsId: 7, frameUrl: 'file:///opt/Vigil/resources/app.asar/dist/renderer/index.html#/plans', isMainFrame: true };

  test('our window, top frame, our page: trusted', () => {
    expect(checkSender(ours, window)).toEqual({ trusted: true });
  });
  test('another webContents is not trusted', () => {
    expect(checkSender({ ...ours, webContentsId: 8 }, window)).toMatchObject({ trusted: false, reason: expect.stringContaining('8') });
  });
  test('no window yet: nobody is trusted', () => {
    expect(checkSender(ours, { ...window, webContentsId: null }).trusted).toBe(false);
  });
  test('a sub-frame, or a frame showing another page or file, is not trusted', () => {
    expect(checkSender({ ...ours, isMainFrame: false }, window).trusted).toBe(false);
    expect(checkSender({ ...ours, frameUrl: 'file:///tmp/evil.html' }, window).trusted).toBe(false);
    expect(checkSender({ ...ours, frameUrl: 'https://example.com/' }, window).trusted).toBe(false);
    expect(checkSender({ ...ours, frameUrl: null }, window).trusted).toBe(false);
  });
  test('with the dev server, the same origin is trusted and another port is not', () => {
    const dev = { webContentsId: 7, appUrl: 'http://localhost:5173/' };
    expect(checkSender({ ...ours, frameUrl: 'http://localhost:5173/index.html' }, dev).trusted).toBe(true);
    expect(checkSender({ ...ours, frameUrl: 'http://localhost:5174/' }, dev).trusted).toBe(false);
  });
});

describe('navigation policy', () => {
  test('the window never navigates; web links go to the browser', () => {
    expect(decideNavigation('https://github.com/vigil-app/vigil')).toEqual({ deny: true, openExternally: 'https://github.com/vigil-app/vigil' });
    expect(decideNavigation('http://127.0.0.1:4317/')).toEqual({ deny: true, openExternally: 'http://127.0.0.1:4317/' });
  });
  test('anything but http(s) stays inside, refused', () => {
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'vscode://file/x', 'data:text/html,hi', 'not a url']) {
      expect(externalUrlToOpen(url)).toBeNull();
      expect(decideNavigation(url)).toEqual({ deny: true, openExternally: null });
    }
  });
  test('links with credentials are refused', () => {
    expect(externalUrlToOpen('https://user:pass@example.com/')).toBeNull();
  });
});

describe('content security policy', () => {
  test('no remote or inline script, no eval, no plugins, no framing', () => {
    expect(RENDERER_CSP).toContain("default-src 'none'");
    expect(RENDERER_CSP).toContain("script-src 'self'");
    expect(RENDERER_CSP).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval|https?:)/);
    expect(RENDERER_CSP).toContain("object-src 'none'");
    expect(cspHeaderValue(RENDERER_CSP)).toContain("frame-ancestors 'none'");
  });

  test('renderer/index.html carries the same policy as a <meta> fallback', () => {
    const html = readFileSync(new URL('../../../renderer/index.html', import.meta.url), 'utf8');
    const meta = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/);
    expect(meta?.[1]).toBe(RENDERER_CSP);
  });

  test('the header replaces whatever CSP a response carried, in any letter case', () => {
    const headers = withCspHeader({ 'content-security-policy': ["default-src *"], 'Content-Type': 'text/html' }, RENDERER_CSP);
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [cspHeaderValue(RENDERER_CSP)] });
  });

  test('only the dev server policy allows the Vite preamble and its HMR socket', () => {
    const dev = devCsp('http://localhost:5173/');
    expect(dev).toContain("script-src 'self' 'unsafe-inline' http://localhost:5173");
    expect(dev).toContain('ws://localhost:5173');
    expect(dev).not.toContain('unsafe-eval');
  });
});

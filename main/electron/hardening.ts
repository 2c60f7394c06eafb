// The session and web-contents rules every page in the app lives under: our CSP on every
// response, no permission ever granted, no navigation, no new windows, no <webview>, and web
// links handed to the user's browser (http/https only).
import { app, shell, type Session, type WebContents } from 'electron';
import { withCspHeader } from '../desktop/csp';
import { decideNavigation, externalUrlToOpen } from '../desktop/navigation-policy';

export function hardenSession(session: Session, policy: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCspHeader(details.responseHeaders, policy) });
  });
  // Vigil needs no camera, microphone, location, notifications-from-the-page or anything else.
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

export function openExternalLink(url: string, log: (message: string) => void): void {
  const safe = externalUrlToOpen(url);
  if (safe) void shell.openExternal(safe);
  else log(`Refused to open ${url}: only http and https links leave the app.`);
}

export function hardenContents(contents: WebContents, log: (message: string) => void): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    const decision = decideNavigation(url);
    if (decision.openExternally) void shell.openExternal(decision.openExternally);
    else log(`Blocked navigation to ${url}`);
  });
  contents.on('will-redirect', (event, url) => {
    event.preventDefault();
    log(`Blocked redirect to ${url}`);
  });
  contents.setWindowOpenHandler(({ url }) => {
    openExternalLink(url, log);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('Blocked a <webview>');
  });
}

/** Apply `hardenContents` to every web contents the app ever creates, including future ones. */
export function hardenAllContents(log: (message: string) => void): void {
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, log));
}

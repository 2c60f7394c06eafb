// Where the window may go: nowhere. Our renderer is one page; any navigation or window.open is
// denied, and a web link (http/https only) is handed to the user's browser instead.

/** The URL to open in the default browser, or null when it must not leave the app at all. */
export function externalUrlToOpen(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  // Credentials in a link are a phishing trick, never something Vigil renders on purpose.
  if (parsed.username || parsed.password) return null;
  return parsed.href;
}

export interface NavigationDecision {
  /** Always true: the window itself never navigates. */
  deny: true;
  /** A web link the user clicked, to open in their browser. */
  openExternally: string | null;
}

export function decideNavigation(url: string): NavigationDecision {
  return { deny: true, openExternally: externalUrlToOpen(url) };
}

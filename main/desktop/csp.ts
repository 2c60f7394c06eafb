// The Content-Security-Policy of the Electron window. The same policy sits in
// renderer/index.html as a <meta> fallback (for file:// responses, which do not always pass
// through webRequest); a test keeps the two equal.

/**
 * No remote code, no eval, no plugins, no framing. Styles allow 'unsafe-inline' because the
 * toast library injects a <style> element at runtime; scripts never do.
 */
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

/** Header-only directives: browsers ignore these inside a <meta> tag. */
const HEADER_ONLY = ["frame-ancestors 'none'"];

/**
 * The Vite dev server injects an inline React-refresh preamble and talks to its HMR socket;
 * this looser policy is used only when the window loads the dev server URL.
 */
export function devCsp(devServerUrl: string): string {
  const origin = new URL(devServerUrl).origin;
  const ws = origin.replace(/^http/, 'ws');
  return RENDERER_CSP.replace("script-src 'self'", `script-src 'self' 'unsafe-inline' ${origin}`).replace(
    "connect-src 'self'",
    `connect-src 'self' ${origin} ${ws}`,
  );
}

export function cspHeaderValue(policy: string): string {
  return [policy, ...HEADER_ONLY].join('; ');
}

type Headers = Record<string, string[] | string>;

/** Response headers with our CSP, replacing any the response carried (in any letter case). */
export function withCspHeader(headers: Headers | undefined, policy: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') continue;
    out[name] = Array.isArray(value) ? value : [value];
  }
  out['Content-Security-Policy'] = [cspHeaderValue(policy)];
  return out;
}

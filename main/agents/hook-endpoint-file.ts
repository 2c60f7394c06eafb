// How `vigil hook` finds the Vigil of its config folder: whoever receives hook posts (the
// desktop app, `vigil serve`) writes `hook-endpoint.json` there (mode 0600: it holds the hook
// token) and removes it on close. The hook reads it on every call, so a restart on another
// port is picked up at once. Node built-ins only: the hook's bundle must start fast.
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export const HOOK_ENDPOINT_FILE = 'hook-endpoint.json';
/** The path hook posts go to, on the server's port. */
export const HOOK_PATH = '/api/hook';

export interface HookEndpoint {
  version: 1;
  /** `http://127.0.0.1:<port>/api/hook`. */
  url: string;
  /** A token of scope `hook`: it may post agent events and do nothing else. */
  token: string;
  /** The process that listens, so a stale file (a crash) can be told apart. */
  pid: number;
}

export function hookEndpointPath(configDir: string): string {
  return join(configDir, HOOK_ENDPOINT_FILE);
}

/** The endpoint written in `configDir`, or null when none is (Vigil not running) or it is unreadable. */
export async function readHookEndpoint(configDir: string): Promise<HookEndpoint | null> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(hookEndpointPath(configDir), 'utf8'));
  } catch {
    return null;
  }
  const e = value as Partial<HookEndpoint> | null;
  if (!e || e.version !== 1 || typeof e.url !== 'string' || typeof e.token !== 'string' || typeof e.pid !== 'number') return null;
  if (!/^http:\/\/[^/]+\/api\/hook$/.test(e.url)) return null;
  return e as HookEndpoint;
}

/** Remove the endpoint file if it is still the one this process wrote (another Vigil may have taken over). */
export async function removeHookEndpoint(configDir: string, url: string): Promise<void> {
  const current = await readHookEndpoint(configDir);
  if (current && current.pid === process.pid && current.url === url) await unlink(hookEndpointPath(configDir)).catch(() => undefined);
}

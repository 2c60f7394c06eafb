// Tells `vigil hook` where to post: writes the hook endpoint file (URL and hook token, mode
// 0600) into the config folder, and removes it on close if no other Vigil has taken it over.
import { hookEndpointPath, removeHookEndpoint, HOOK_PATH, type HookEndpoint } from '../agents/hook-endpoint-file';
import { writeFileAtomic } from '../engine/json-file';
import type { TokenStore } from './tokens';

export interface HookAdvert {
  readonly url: string;
  close(): Promise<void>;
}

/** The loopback URL of a server bound to `host`: hooks run on this machine. */
export function hookUrlFor(host: string, port: number): string {
  const wildcard = host === '0.0.0.0' || host === '::' || host === '';
  const reachable = wildcard ? '127.0.0.1' : host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${reachable}:${port}${HOOK_PATH}`;
}

export async function advertiseHooks(configDir: string, tokens: Pick<TokenStore, 'hookToken'>, url: string): Promise<HookAdvert> {
  const { secret } = await tokens.hookToken();
  const endpoint: HookEndpoint = { version: 1, url, token: secret, pid: process.pid };
  await writeFileAtomic(hookEndpointPath(configDir), `${JSON.stringify(endpoint)}\n`);
  let closed = false;
  return {
    url,
    async close() {
      if (closed) return;
      closed = true;
      await removeHookEndpoint(configDir, url);
    },
  };
}

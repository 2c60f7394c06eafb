// The desktop app's hook receiver: a loopback-only HTTP server with nothing but POST /api/hook,
// always on (the LAN server is off by default, and hooks must reach the app regardless).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AgentsApi } from '../engine/api';
import { advertiseHooks, hookUrlFor } from './hook-advert';
import { HOOK_PATH } from '../agents/hook-endpoint-file';
import { createHookRoute } from './hook-route';
import { sendJson } from './http';
import { createOriginPolicy } from './origin';
import type { TokenStore } from './tokens';

export interface HookListener {
  readonly url: string;
  close(): Promise<void>;
}

export async function startHookListener(options: {
  agents: Pick<AgentsApi, 'receive'>;
  tokens: TokenStore;
  configDir: string;
  log: (line: string) => void;
}): Promise<HookListener> {
  const route = createHookRoute({ agents: options.agents, tokens: options.tokens }, sendJson);
  const checkOrigin = createOriginPolicy({ loopbackOnly: true });
  const server = createServer((req, res) => {
    const verdict = checkOrigin(req.headers);
    if (!verdict.ok) {
      sendJson(res, 403, { error: 'forbidden', message: verdict.reason });
      return;
    }
    if (new URL(req.url ?? '/', 'http://x').pathname !== HOOK_PATH) {
      sendJson(res, 404, { error: 'not_found', message: `This port only takes hook posts at ${HOOK_PATH}.` });
      return;
    }
    route(req, res).catch((err: unknown) => {
      options.log(`hook post failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) sendJson(res, 500, { error: 'internal', message: 'The hook post failed; see the Vigil log.' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const advert = await advertiseHooks(options.configDir, options.tokens, hookUrlFor('127.0.0.1', port)).catch(async (err: unknown) => {
    server.close();
    throw err;
  });
  return {
    url: advert.url,
    async close() {
      await advert.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

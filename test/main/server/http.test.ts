import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import pkg from '../../../package.json';
import { startServer } from '../../../main/server/server';
import { closeWorlds, createWorld } from './world';

afterEach(closeWorlds);

/** A server over a small built renderer: an index page and one hashed asset. */
async function serveBuiltRenderer(): Promise<Awaited<ReturnType<typeof startServer>>> {
  const world = await createWorld();
  const renderer = join(world.base, 'renderer');
  await mkdir(join(renderer, 'assets'), { recursive: true });
  await writeFile(join(renderer, 'index.html'), '<!doctype html><title>Vigil UI</title><script src="./assets/app-1.js"></script>');
  await writeFile(join(renderer, 'assets', 'app-1.js'), 'export {}');
  return startServer({ engine: world.engine, tokens: world.tokens, port: 0, rendererDir: renderer, log: () => undefined });
}

describe('HTTP endpoints', () => {
  test('/healthz answers without a token', async () => {
    const world = await createWorld();
    const res = await fetch(`${world.server.url}healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; version: string; uptimeMs: number };
    expect(body).toMatchObject({ ok: true, version: pkg.version });
    expect(body.uptimeMs).toBeGreaterThanOrEqual(0);
  });

  test('GET /api/snapshot without a token is 401, with a wrong one too', async () => {
    const world = await createWorld();
    const none = await fetch(`${world.server.url}api/snapshot`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrong = await fetch(`${world.server.url}api/snapshot`, { headers: { authorization: 'Bearer vigil_nope' } });
    expect(wrong.status).toBe(401);
    // Never from the query string: URLs end up in logs.
    const query = await fetch(`${world.server.url}api/snapshot?token=${world.read}`);
    expect(query.status).toBe(401);
  });

  test('GET /api/snapshot with a token is the same snapshot as hello', async () => {
    const world = await createWorld({ projects: ['alpha', 'beta'] });
    await world.engine.setRunning(false); // no heartbeat ticking between the two reads
    const client = await world.connect();
    const res = await fetch(`${world.server.url}api/snapshot`, { headers: { authorization: `Bearer ${world.read}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const before = Date.now();
    const { uptimeMs, serverTime, ...snapshot } = (await res.json()) as { uptimeMs: number; serverTime: number };
    expect(snapshot).toEqual(client.hello.snapshot);
    // For scripts that compare the server's clock with theirs, and tell a restart by uptime.
    expect(uptimeMs).toBeGreaterThanOrEqual(0);
    expect(Math.abs(serverTime - before)).toBeLessThan(60_000);
  });

  test('GET /api/access says what the presented token may do, and needs a token like every /api path', async () => {
    const world = await createWorld();
    const access = async (token: string | null) => {
      const res = await fetch(`${world.server.url}api/access`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      return { status: res.status, body: (await res.json()) as unknown };
    };
    expect(await access(world.read)).toEqual({ status: 200, body: { scope: 'read' } });
    expect(await access(world.control)).toEqual({ status: 200, body: { scope: 'control' } });
    expect((await access(null)).status).toBe(401);
    expect((await access('vigil_nope')).status).toBe(401);
  });

  test('an unknown API path with a token is 404, other methods are 405', async () => {
    const world = await createWorld();
    const res = await fetch(`${world.server.url}api/nothing`, { headers: { authorization: `Bearer ${world.read}` } });
    expect(res.status).toBe(404);
    const post = await fetch(`${world.server.url}api/snapshot`, { method: 'POST', headers: { authorization: `Bearer ${world.read}` } });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  test('the built renderer is served at /, with its assets', async () => {
    const server = await serveBuiltRenderer();
    try {
      const page = await fetch(server.url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      expect(await page.text()).toContain('Vigil UI');
      const asset = await fetch(`${server.url}assets/app-1.js`);
      expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(asset.headers.get('cache-control')).toMatch(/immutable/);
      expect((await fetch(`${server.url}assets/`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  test('the served UI is cross-origin isolated: no other site shares its window group or loads into it uncleared', async () => {
    const server = await serveBuiltRenderer();
    try {
      for (const path of ['', 'index.html', 'assets/app-1.js', 'missing.js']) {
        const res = await fetch(`${server.url}${path}`);
        expect(res.headers.get('cross-origin-opener-policy'), path).toBe('same-origin');
        expect(res.headers.get('cross-origin-embedder-policy'), path).toBe('require-corp');
      }
    } finally {
      await server.close();
    }
  });

  test('without a built renderer, / is a 503 page that says how to build it', async () => {
    const world = await createWorld({ server: { rendererDir: '/nonexistent/renderer' } });
    const res = await fetch(world.server.url);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
  });

  test('a port in use is a clear error', async () => {
    const world = await createWorld();
    await expect(startServer({ engine: world.engine, tokens: world.tokens, port: world.server.port })).rejects.toThrow(
      `Port ${world.server.port} is in use — start with --port 0 to pick a free one`,
    );
    // The failed attempt left nothing behind: the first server still answers.
    expect((await fetch(`${world.server.url}healthz`)).status).toBe(200);
  });

  test('the URL carries the token in the fragment, which browsers never send', async () => {
    const world = await createWorld();
    expect(world.server.url).toBe(`http://127.0.0.1:${world.server.port}/`);
    expect(world.server.urlWithToken(world.read)).toBe(`http://127.0.0.1:${world.server.port}/#token=${world.read}`);
  });
});

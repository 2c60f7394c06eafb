import { mkdir, mkdtemp, readdir, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createStaticHandler } from '../../../main/server/static';

let base: string;
let server: Server;

/** A raw GET: fetch would normalize `..` away before the server ever saw it. */
function get(path: string, method = 'GET'): Promise<{ status: number; type: string | undefined; body: string }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function serve(dir: string): Promise<void> {
  const handler = createStaticHandler(dir);
  server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
}

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'vigil-static-'));
  const renderer = join(base, 'renderer');
  await mkdir(join(renderer, 'assets'), { recursive: true });
  await writeFile(join(renderer, 'index.html'), '<!doctype html><title>Vigil</title>');
  await writeFile(join(renderer, 'assets', 'index-abc.js'), 'console.log(1)');
  await writeFile(join(renderer, 'assets', 'index-abc.css'), 'body{}');
  await writeFile(join(renderer, '.env'), 'SECRET=1');
  await writeFile(join(base, 'secret.txt'), 'outside');
  await symlink(join(base, 'secret.txt'), join(renderer, 'assets', 'link.js'));
});

afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(base, { recursive: true, force: true });
});

describe('static renderer serving', () => {
  test('/ serves index.html, assets get their content types', async () => {
    await serve(join(base, 'renderer'));
    const index = await get('/');
    expect(index).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    expect(index.body).toContain('<title>Vigil</title>');
    expect(await get('/assets/index-abc.js')).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8', body: 'console.log(1)' });
    expect(await get('/assets/index-abc.css')).toMatchObject({ status: 200, type: 'text/css; charset=utf-8' });
    expect(await get('/index.html?x=1')).toMatchObject({ status: 200 });
  });

  test('HEAD answers without a body', async () => {
    await serve(join(base, 'renderer'));
    expect(await get('/', 'HEAD')).toMatchObject({ status: 200, body: '' });
  });

  test('a directory is never listed', async () => {
    await serve(join(base, 'renderer'));
    expect((await get('/assets')).status).toBe(404);
    expect((await get('/assets/')).status).toBe(404);
  });

  test('path traversal, plain or encoded, never leaves the folder', async () => {
    await serve(join(base, 'renderer'));
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%5csecret.txt', '/assets/%00x', '/%E0%A4%A']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain('outside');
    }
  });

  test('a symlink leading out of the folder is not followed', async () => {
    await serve(join(base, 'renderer'));
    const res = await get('/assets/link.js');
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('outside');
  });

  test('a final symlink is refused by the open itself, even one that leads inside the folder', async () => {
    // Nothing in a build is a link; refusing them at open() leaves no window between a look at
    // the path and the open in which the link could be swapped for one that leads out.
    await symlink(join(base, 'renderer', 'assets', 'index-abc.js'), join(base, 'renderer', 'assets', 'alias.js'));
    await serve(join(base, 'renderer'));
    expect((await get('/assets/alias.js')).status).toBe(404);
    expect((await get('/assets/index-abc.js')).status).toBe(200);
  });

  test('clients that hang up mid-download leave no file open behind them', async () => {
    await writeFile(join(base, 'renderer', 'assets', 'big-abc.js'), 'x'.repeat(8 * 1024 * 1024));
    await serve(join(base, 'renderer'));
    const { port } = server.address() as AddressInfo;
    const openFiles = async (): Promise<number> => {
      let count = 0;
      for (const fd of await readdir('/proc/self/fd')) {
        const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
        if (target.endsWith('big-abc.js')) count++;
      }
      return count;
    };
    for (let i = 0; i < 10; i++) {
      // Read the first chunk of the body, then drop the connection.
      await new Promise<void>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/assets/big-abc.js' }, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', (err) => (req.destroyed ? resolve() : reject(err)));
        req.end();
      });
    }
    const deadline = Date.now() + 10_000;
    while ((await openFiles()) > 0) {
      if (Date.now() > deadline) throw new Error(`${await openFiles()} descriptors of big-abc.js still open 10 s after their clients left`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  test('a UI folder inside an archive (the packaged app.asar) is read by path, still kept inside it', async () => {
    // Plain Node sees a folder named like an archive: this checks Vigil's own branch for the
    // packaged app, not Electron's reading of the archive.
    const packaged = join(base, 'app.asar', 'dist', 'renderer');
    await mkdir(join(packaged, 'assets'), { recursive: true });
    await writeFile(join(packaged, 'index.html'), '<!doctype html><title>Packaged</title>');
    await symlink(join(base, 'secret.txt'), join(packaged, 'assets', 'out.js'));
    await serve(packaged);
    expect((await get('/')).body).toContain('Packaged');
    expect(await get('/assets/out.js')).toMatchObject({ status: 404 });
    expect((await get('/assets')).status).toBe(404);
  });

  test('dot files are not served', async () => {
    await serve(join(base, 'renderer'));
    expect((await get('/.env')).status).toBe(404);
  });

  test('without a build, a clear 503 page says how to build it', async () => {
    await serve(join(base, 'not-built'));
    const res = await get('/');
    expect(res.status).toBe(503);
    expect(res.body).toContain('npm run build');
  });
});

// `npm start` (`vigil start`) on a machine where the desktop app cannot run: the Electron binary
// is absent and every download is refused. It must say so in one paragraph, without a stack,
// and serve the dashboard headless with a control link that it hands to the browser.
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterEach, beforeEach, expect, test } from 'vitest';
import pkg from '../../../package.json';
import type { Hello } from '../../../shared/protocol';
import { startVigil, stopVigil, urlsOf, type Running } from './cli-process';

let base: string;
let running: Running | null = null;

/** A stand-in for a browser or for Electron: writes the arguments it was started with to `file`. */
async function recorder(path: string, file: string): Promise<string> {
  await writeFile(path, `#!/bin/sh\nprintf '%s\\n' "$@" > '${file}'\n`);
  await chmod(path, 0o755);
  return path;
}

function environment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    VIGIL_CONFIG_DIR: join(base, 'config'),
    // Electron's download cache of this test only, and a mirror that refuses every connection.
    electron_config_cache: join(base, 'electron-cache'),
    ELECTRON_MIRROR: 'http://127.0.0.1:9/',
    // Where the binary would be: an empty folder, whatever this machine has installed.
    ELECTRON_OVERRIDE_DIST_PATH: join(base, 'no-electron'),
    ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
    DISPLAY: '',
    WAYLAND_DISPLAY: '',
    ...extra,
  };
}

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'vigil-start-'));
  await mkdir(join(base, 'no-electron'));
});

afterEach(async () => {
  if (running) await stopVigil(running);
  running = null;
  await rm(base, { recursive: true, force: true });
});

test('npm start runs the launcher after the build', () => {
  expect(pkg.scripts.start).toBe('npm run build && node dist/cli.js start');
});

test('with no Electron binary and no way to download one, it says why in one paragraph and serves the dashboard in the browser with control', async () => {
  const opened = join(base, 'opened.txt');
  running = startVigil(['start', '--port', '0'], environment({ BROWSER: await recorder(join(base, 'browser.sh'), opened) }));
  const [url] = await urlsOf(running, 1, 90_000);

  // One paragraph that says what happened and what to do, and no stack trace.
  const paragraph = running.stderr().split('\n').find((line) => line.startsWith('Vigil cannot open its desktop window'));
  expect(paragraph).toMatch(/Electron \d+\.\d+\.\d+ could not be downloaded \(.*ECONNREFUSED.*\)/);
  expect(paragraph).toContain('runs the same engine headless instead, with the dashboard in your browser');
  expect(paragraph).toContain('run `npm start` again once the download can work');
  expect(running.stderr()).not.toMatch(/^\s+at /m);

  // The browser was handed exactly the printed control link.
  await expect.poll(() => readFile(opened, 'utf8').catch(() => ''), { timeout: 10_000 }).toBe(`${url}\n`);
  await expect.poll(() => running!.stderr(), { timeout: 10_000 }).toContain('Opened the dashboard (the link above) in your browser.');

  // The dashboard answers at that URL: the page, the API, and the protocol with control.
  const { origin, hash } = new URL(url!);
  expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const page = await fetch(`${origin}/`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<div id="root">');
  const token = new URLSearchParams(hash.slice(1)).get('token')!;
  const snapshot = await fetch(`${origin}/api/snapshot`, { headers: { Authorization: `Bearer ${token}` } });
  expect(snapshot.status).toBe(200);
  const socket = io(origin, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  try {
    await new Promise<Hello>((resolve, reject) => {
      socket.once('hello', resolve);
      socket.once('connect_error', reject);
    });
    const project = join(base, 'shop');
    await mkdir(join(project, 'backlog', 'tasks'), { recursive: true });
    const added = (await socket.timeout(10_000).emitWithAck('project:add', { root: project })) as { ok: boolean };
    expect(added.ok).toBe(true);
  } finally {
    socket.disconnect();
  }
  expect(await stopVigil(running, 'SIGINT')).toEqual({ code: 0, signal: null });
}, 120_000);

test('BROWSER=none opens nothing and says to open the link', async () => {
  running = startVigil(['start', '--port', '0'], environment({ BROWSER: 'none' }));
  await urlsOf(running, 1, 90_000);
  await expect.poll(() => running!.stderr(), { timeout: 10_000 }).toContain('Open the link above in a browser.');
}, 120_000);

test('an opener that finds no browser is not taken for one that did', async () => {
  const opener = join(base, 'no-browser.sh');
  await writeFile(opener, '#!/bin/sh\necho "no method available" >&2\nexit 3\n');
  await chmod(opener, 0o755);
  running = startVigil(['start', '--port', '0'], environment({ BROWSER: opener }));
  await urlsOf(running, 1, 90_000);
  await expect.poll(() => running!.stderr(), { timeout: 10_000 }).toContain(`Could not open a browser: ${opener} found none (exit 3). Open the link above yourself.`);
  expect(running.stderr()).not.toContain('Opened the dashboard');
}, 120_000);

test('with an Electron binary but no graphical display, it says so and serves the dashboard instead', async () => {
  const started = join(base, 'electron-started.txt');
  await recorder(join(base, 'no-electron', 'electron'), started);
  running = startVigil(['start', '--port', '0'], environment({ BROWSER: 'none' }));
  await urlsOf(running, 1, 60_000);
  expect(running.stderr()).toContain('Vigil cannot open its desktop window: there is no graphical display here (neither DISPLAY nor WAYLAND_DISPLAY is set).');
  await expect(readFile(started, 'utf8')).rejects.toThrow();
}, 90_000);

test('with an Electron binary and a display, it starts Electron on the app and exits with its code', async () => {
  const started = join(base, 'electron-started.txt');
  await recorder(join(base, 'no-electron', 'electron'), started);
  running = startVigil(['start'], environment({ DISPLAY: ':99' }));
  expect(await running.closed).toEqual({ code: 0, signal: null });
  const appRoot = (await readFile(started, 'utf8')).trim();
  expect(JSON.parse(await readFile(join(appRoot, 'package.json'), 'utf8'))).toMatchObject({ name: 'vigil', main: 'dist/electron/main.js' });
  expect(running.stdout()).toBe('');
}, 60_000);

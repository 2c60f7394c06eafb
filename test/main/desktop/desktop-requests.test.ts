// The desktop-only requests over the real config store, token store, engine and LAN server
// (on a free loopback port); only the folder dialog and the OS shell are stand-ins.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import { createChannelAccess } from '../../../main/desktop/channel-access';
import { createDesktopRequests, type DesktopRequestHandler } from '../../../main/desktop/desktop-requests';
import { createHooksAccess } from '../../../main/desktop/hooks-access';
import { startChannelAlerts, type ChannelAlerts } from '../../../main/notify/alerts';
import { LanController } from '../../../main/desktop/lan-controller';
import { ConfigStore } from '../../../main/engine/config';
import { createEngine, type Engine } from '../../../main/engine/engine';
import { startServer } from '../../../main/server/server';
import { TokenStore } from '../../../main/server/tokens';
import { writeTasks } from '../server/world';

let base: string;
let config: ConfigStore;
let engine: Engine;
let tokens: TokenStore;
let lan: LanController;
let request: DesktopRequestHandler;
let shellCalls: string[];
let projectId: string;
let alerts: ChannelAlerts;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'vigil-desktop-'));
  await writeTasks(join(base, 'alpha'), [{ id: 1, title: 'Login page', status: 'pending' }]);
  config = new ConfigStore(join(base, 'config'));
  engine = await createEngine({ config, driftSweepMs: 0 });
  projectId = (await engine.addProject(join(base, 'alpha'))).id;
  tokens = await TokenStore.open(join(base, 'config'));
  lan = new LanController({
    start: ({ host, port }) => startServer({ engine, tokens, host, port, log: () => undefined }),
    readToken: () => tokens.defaultReadToken(),
  });
  shellCalls = [];
  alerts = startChannelAlerts({
    hub: engine.hub,
    channels: () => config.channels(),
    rules: () => config.settings().notifications,
    projectName: () => undefined,
    initialHealth: null,
    log: () => undefined,
  });
  request = createDesktopRequests({
    channels: createChannelAccess(config, alerts),
    hooks: createHooksAccess({ projects: () => engine.projects(), configDir: join(base, 'config'), hookScript: join(base, 'hook.cjs'), node: async () => process.execPath }),
    settings: { get: () => config.settings(), update: (patch) => config.updateSettings(patch) },
    lan,
    tokens,
    shell: {
      showItemInFolder: (path) => void shellCalls.push(`reveal ${path}`),
      openPath: async (path) => (shellCalls.push(`open ${path}`), ''),
    },
    pickFolder: async () => '/picked/folder',
    projects: () => engine.projects(),
  });
});

afterEach(async () => {
  await alerts.close();
  await lan.close();
  await engine.close();
  await tokens.close();
  await rm(base, { recursive: true, force: true });
});

describe('settings', () => {
  test('read, changed and persisted to settings.json', async () => {
    expect(await request('settings:get', {})).toEqual({ ok: true, data: DEFAULT_SETTINGS });
    const reply = await request('settings:set', { closeToTray: false, stallMinutes: 45 });
    expect(reply).toMatchObject({ ok: true, data: { closeToTray: false, stallMinutes: 45 } });
    const onDisk = JSON.parse(await readFile(join(base, 'config', 'settings.json'), 'utf8'));
    expect(onDisk).toMatchObject({ closeToTray: false, stallMinutes: 45 });
  });

  test('invalid values are refused with what is wrong', async () => {
    expect(await request('settings:set', { stallMinutes: 0 })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await request('settings:set', { nonsense: true })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await request('settings:set', { notifications: { ...DEFAULT_SETTINGS.notifications, quietHours: { start: '25:00', end: '07:00' } } })).toMatchObject({
      ok: false,
      error: { code: 'invalid', message: expect.stringContaining('HH:MM') },
    });
  });
});

describe('the LAN server switch', () => {
  test('off by default; on gives a URL with a read token that lets a browser in; off closes it', async () => {
    await config.updateSettings({ lan: { enabled: false, host: '127.0.0.1', port: 0 } });
    expect(await request('lan:get', {})).toEqual({ ok: true, data: { enabled: false, url: null, error: null } });

    const on = await request('lan:set', { enabled: true });
    if (!on.ok || !on.data.url) throw new Error(`LAN did not start: ${JSON.stringify(on)}`);
    const url = new URL(on.data.url);
    const secret = decodeURIComponent(url.hash.replace('#token=', ''));
    expect(tokens.verify(secret)).toMatchObject({ scope: 'read' });
    const snapshot = await fetch(new URL('/api/snapshot', url), { headers: { Authorization: `Bearer ${secret}` } });
    expect(snapshot.status).toBe(200);
    expect(config.settings().lan.enabled).toBe(true);

    expect(await request('lan:set', { enabled: false })).toEqual({ ok: true, data: { enabled: false, url: null, error: null } });
    await expect(fetch(new URL('/healthz', url))).rejects.toThrow();
    expect(config.settings().lan.enabled).toBe(false);
  });

  test('a port in use is an error the Settings screen can show, and the switch stays off', async () => {
    const blocker = await startServer({ engine, tokens, host: '127.0.0.1', port: 0, log: () => undefined });
    try {
      await config.updateSettings({ lan: { enabled: false, host: '127.0.0.1', port: blocker.port } });
      const reply = await request('lan:set', { enabled: true });
      expect(reply).toEqual({
        ok: true,
        data: { enabled: false, url: null, error: `Port ${blocker.port} is in use — pick another port in Settings, or 0 for any free one.` },
      });
      expect(config.settings().lan.enabled).toBe(false);
    } finally {
      await blocker.close();
    }
  });
});

describe('tokens', () => {
  test('create shows the secret once; list never does; revoke removes', async () => {
    const created = await request('tokens:create', { scope: 'control', label: 'phone' });
    if (!created.ok) throw new Error('create failed');
    expect(created.data.secret).toMatch(/^vigil_/);
    const listed = await request('tokens:list', {});
    expect(listed).toMatchObject({ ok: true, data: [{ id: created.data.token.id, scope: 'control', label: 'phone' }] });
    expect(JSON.stringify(listed)).not.toContain(created.data.secret);
    expect(await request('tokens:revoke', { id: created.data.token.id })).toEqual({ ok: true, data: {} });
    expect(await request('tokens:revoke', { id: created.data.token.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await request('tokens:create', { scope: 'admin' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });
});

describe('alert channels', () => {
  test('added, listed without their secrets, tested against a real receiver, switched off and removed', async () => {
    const received: { path: string; body: string }[] = [];
    const receiver: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks/T0001/B0001/secret-path`;
      const added = await request('channels:add', { type: 'webhook', url, name: 'CI bot' });
      if (!added.ok) throw new Error(added.error.message);
      expect(added.data.secret).toMatch(/^whsec_/);
      const listed = await request('channels:list', {});
      if (!listed.ok) throw new Error(listed.error.message);
      expect(listed.data.channels).toEqual([expect.objectContaining({ id: added.data.channel.id, name: 'CI bot', type: 'webhook', target: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/…$/) })]);
      expect(JSON.stringify(listed.data)).not.toContain('secret-path');
      expect(JSON.stringify(listed.data)).not.toContain(added.data.secret!);
      expect((await stat(join(base, 'config', 'channels.json'))).mode & 0o777).toBe(0o600);

      const tested = await request('channels:test', { id: added.data.channel.id });
      expect(tested).toMatchObject({ ok: true, data: { status: 'sent', httpStatus: 200, channelName: 'CI bot' } });
      expect(received).toEqual([expect.objectContaining({ path: '/hooks/T0001/B0001/secret-path' })]);
      expect((await request('channels:list', {})) as { ok: true; data: { log: unknown[] } }).toMatchObject({ ok: true, data: { log: [expect.objectContaining({ status: 'sent' })] } });

      expect(await request('channels:update', { id: added.data.channel.id, enabled: false })).toMatchObject({ ok: true, data: { enabled: false } });
      expect(await request('channels:remove', { id: added.data.channel.id })).toEqual({ ok: true, data: {} });
      expect(await request('channels:remove', { id: added.data.channel.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  test('a URL that is not http(s) is refused with what is wrong', async () => {
    expect(await request('channels:add', { type: 'ntfy', url: 'file:///etc/passwd' })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/http\(s\) URL/) } });
  });
});

describe("a project's agent hooks", () => {
  test('installed and removed from the card, with their status', async () => {
    expect(await request('hooks:status', { projectId })).toEqual({ ok: true, data: { claude: { installed: false, problem: null }, codex: { installed: false, problem: null }, lastEvent: null } });
    const installed = await request('hooks:install', { projectId, agent: 'claude' });
    // The stand-in hook script does not exist here: the card says the hook cannot run.
    expect(installed).toMatchObject({ ok: true, data: { claude: { installed: true, problem: expect.stringMatching(/hook\.cjs does not exist/) } } });
    expect(await request('hooks:uninstall', { projectId, agent: 'claude' })).toMatchObject({ ok: true, data: { claude: { installed: false } } });
    expect(await request('hooks:status', { projectId: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('reveal, open and the folder picker', () => {
  test('a file in a registered project is revealed; an escape is forbidden with a clear error', async () => {
    expect(await request('item:reveal', { projectId, path: '.taskmaster/tasks/tasks.json' })).toEqual({ ok: true, data: {} });
    expect(await request('item:open', { projectId, path: '.taskmaster/tasks/tasks.json' })).toEqual({ ok: true, data: {} });
    expect(shellCalls).toHaveLength(2);
    expect(await request('item:open', { projectId, path: '../../etc/passwd' })).toMatchObject({
      ok: false,
      error: { event: 'item:open', code: 'forbidden', message: expect.stringContaining('climbs out of the project root') },
    });
    expect(await request('item:reveal', { projectId: 'nope', path: 'x' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(shellCalls).toHaveLength(2);
  });

  test('the folder picker answers with the chosen path', async () => {
    expect(await request('dialog:pickFolder', {})).toEqual({ ok: true, data: { path: '/picked/folder' } });
  });
});

// The desktop's action requests: the Settings view reads and edits the user's actions and
// presets through the config store; the local user trusts a project's actions file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import type { Settings } from '../../../shared/settings';
import { createDesktopRequests } from '../../../main/desktop/desktop-requests';
import { ConfigStore } from '../../../main/engine/config';
import { trustProjectActions } from '../../../main/runs/runs';
import { tempDir } from '../engine/live-helpers';

const dirs: { remove: () => void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

async function world() {
  const base = tempDir('vigil-actions-req-');
  dirs.push(base);
  const config = new ConfigStore(join(base.path, 'config'));
  await config.load();
  const root = join(base.path, 'shop');
  mkdirSync(join(root, '.vigil'), { recursive: true });
  writeFileSync(join(root, '.vigil', 'actions.json'), JSON.stringify({ actions: [{ id: 'test', argv: ['npm', 'test'] }] }));
  const request = createDesktopRequests({
    settings: { get: () => config.settings(), update: (patch: Partial<Settings>) => config.updateSettings(patch) },
    lan: { state: () => ({ enabled: false, url: null, error: null }), setEnabled: async () => ({ enabled: false, url: null, error: null }) } as never,
    tokens: { list: () => [], create: async () => ({ token: {} as never, secret: '' }), revoke: async () => false },
    shell: { showItemInFolder: () => undefined, openPath: async () => '' },
    pickFolder: async () => null,
    projects: () => [{ id: 'p1', root } as never],
    // Not used here: alert channels and agent hooks have tests of their own.
    channels: {} as never,
    hooks: {} as never,
    trustProjectActions: (r) => trustProjectActions(config, r, 1),
    actions: { get: () => config.reloadActions(), update: (change) => config.updateActions(change) },
  });
  return { config, root, request };
}

test('Settings lists every preset, turns one on and saves an action; a bad one saves nothing', async () => {
  const { config, request } = await world();
  const before = await request('actions:get', {});
  expect(before.ok && before.data.presets.map((p) => [p.id, p.enabled])).toContainEqual(['claude-code', false]);
  const saved = await request('actions:set', { presets: ['claude-code'], actions: [{ id: 'lint', argv: ['npm', 'run', 'lint'] }] });
  expect(saved.ok && saved.data.presets.find((p) => p.id === 'claude-code')?.enabled).toBe(true);
  expect(config.actions().actions.map((a) => a.id)).toEqual(['lint']);

  expect(await request('actions:set', { presets: ['nope'] })).toMatchObject({ ok: false, error: { code: 'invalid' } });
  expect(await request('actions:set', { actions: [{ id: 'sh', argv: ['echo {item.id}'], shell: true }] })).toMatchObject({ ok: false, error: { code: 'invalid' } });
  expect(await request('actions:set', { actions: [{ id: 'a', argv: ['x'] }, { id: 'a', argv: ['y'] }] })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/unique/) } });
  expect(config.actions().actions.map((a) => a.id)).toEqual(['lint']);
});

test("the local user trusts a project's actions file from the app", async () => {
  const { config, request } = await world();
  const reply = await request('actions:trust', { projectId: 'p1' });
  expect(reply).toMatchObject({ ok: true, data: { count: 1 } });
  expect(config.actions().trusted).toHaveLength(1);
  expect(await request('actions:trust', { projectId: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
});

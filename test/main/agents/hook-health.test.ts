// Health for hooks that stopped firing, over real project folders and settings files.
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { HookHealth, type HookHealthProject } from '../../../main/agents/hook-health';
import { claudeHookCommand } from '../../../main/agents/install/hook-command';

let base: string;
let configDir: string;
let project: HookHealthProject;
const MIN = 60_000;

async function settle(health: HookHealth, projects: HookHealthProject[], now: number): Promise<void> {
  health.refreshIfDue(projects, now, (err) => {
    throw err;
  });
  // The read runs in the background; wait until it has landed.
  for (let i = 0; i < 200 && (health as unknown as { checking: boolean }).checking; i++) await new Promise((r) => setTimeout(r, 5));
}

async function install(script: string): Promise<void> {
  await mkdir(join(project.root, '.claude'), { recursive: true });
  const command = claudeHookCommand({ node: process.execPath, script }, configDir);
  await writeFile(join(project.root, '.claude', 'settings.local.json'), JSON.stringify({ hooks: { Stop: [{ hooks: [{ type: 'command', command }] }] } }));
}

beforeEach(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'vigil-hookhealth-')));
  configDir = join(base, 'config');
  project = { id: 'p1', name: 'shop', root: join(base, 'shop'), lastActivityAt: null };
  await mkdir(project.root);
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('hooks that stopped firing', () => {
  test('an installed hook whose program is gone is a warning that says what to do', async () => {
    await install(join(base, 'gone', 'hook.cjs'));
    const health = new HookHealth(configDir);
    await settle(health, [project], 0);
    expect(health.conditions([project], {}, 0, 30)).toEqual([
      expect.objectContaining({ key: 'hooks-broken:p1', level: 'warning', message: expect.stringMatching(/cannot run: .*hook\.cjs does not exist/), hint: expect.stringContaining(`vigil hooks install ${project.root}`) }),
    ]);
  });

  test('planning files changing while the hooks stay silent past the stall time is a warning; a new hook event clears it', async () => {
    const script = join(base, 'hook.cjs');
    await writeFile(script, '');
    await install(script);
    const health = new HookHealth(configDir);
    await settle(health, [project], 0);
    const active = { ...project, lastActivityAt: 45 * MIN };
    const hooks = { p1: { at: 10 * MIN, agent: 'claude', event: 'Stop' } };
    const first = health.conditions([active], hooks, 46 * MIN, 30);
    expect(first).toEqual([expect.objectContaining({ key: 'hooks-silent:p1', message: expect.stringMatching(/"shop" have not fired for over 30 minutes/) })]);
    expect(health.conditions([active], hooks, 47 * MIN, 30)).toBe(first);
    expect(health.conditions([active], { p1: { at: 44 * MIN, agent: 'claude', event: 'PostToolUse' } }, 47 * MIN, 30)).toEqual([]);
    // Files quiet too: the agent is at rest, not the hook broken.
    expect(health.conditions([active], hooks, 80 * MIN, 30)).toEqual([]);
  });

  test('no hooks, hooks for another config folder, or a symlinked settings file raise nothing', async () => {
    const health = new HookHealth(configDir);
    await settle(health, [project], 0);
    expect(health.conditions([{ ...project, lastActivityAt: 45 * MIN }], { p1: { at: 0, agent: 'claude', event: 'Stop' } }, 46 * MIN, 30)).toEqual([]);

    await mkdir(join(project.root, '.claude'));
    const elsewhere = join(base, 'elsewhere.json');
    await writeFile(elsewhere, JSON.stringify({ hooks: { Stop: [{ hooks: [{ type: 'command', command: claudeHookCommand({ node: process.execPath, script: '/gone/hook.cjs' }, configDir) }] }] } }));
    await symlink(elsewhere, join(project.root, '.claude', 'settings.local.json'));
    const linked = new HookHealth(configDir);
    await settle(linked, [project], 0);
    expect(linked.conditions([project], {}, 0, 30)).toEqual([]);

    await rm(join(project.root, '.claude', 'settings.local.json'));
    await install(join(base, 'gone', 'hook.cjs'));
    const other = new HookHealth(join(base, 'another-config'));
    await settle(other, [project], 0);
    expect(other.conditions([project], {}, 0, 30)).toEqual([]);
  });
});

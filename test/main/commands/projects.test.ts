// `vigil add|remove|list|pause` as a person uses them from a terminal: the built CLI on real
// folders and a temp config folder, read back the way the app and `vigil serve` read it.
import { mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ConfigStore } from '../../../main/engine/config';
import { vigil } from './cli-process';

let base: string;
let config: string;
let shop: string;
let api: string;

const run = (...args: string[]) => vigil([...args, '--config-dir', config]);
const registered = async () => {
  const store = new ConfigStore(config);
  await store.load();
  return store.projects();
};

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'vigil-projects-'));
  config = join(base, 'config');
  shop = join(base, 'shop');
  api = join(base, 'api');
  await mkdir(join(shop, '.planning'), { recursive: true });
  await writeFile(join(shop, '.planning', 'ROADMAP.md'), '# Roadmap\n\n- [ ] **Phase 1: Cart**\n');
  await mkdir(join(api, 'backlog', 'tasks'), { recursive: true });
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('vigil add, list, pause, remove', () => {
  test('add registers folders once, list shows them, pause and --resume flip them, remove forgets them', async () => {
    const added = await run('add', shop, api);
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(added.stdout).toBe(`Added shop  ${shop}\nAdded api  ${api}\n`);
    expect((await registered()).map((p) => p.root)).toEqual([shop, api]);

    const again = await run('add', shop);
    expect(again.stdout).toBe(`Already registered: shop  ${shop}\n`);
    expect(await registered()).toHaveLength(2);

    const listed = await run('list');
    expect(listed.stdout).toMatch(new RegExp(`^shop\\s+watching\\s+${shop}$`, 'm'));

    expect((await run('pause', shop)).stdout).toBe(`Paused shop  ${shop}\n`);
    expect((await registered()).find((p) => p.root === shop)?.paused).toBe(true);
    const json = JSON.parse((await run('list', '--json')).stdout) as { projects: { root: string; paused: boolean }[] };
    expect(json.projects.find((p) => p.root === shop)?.paused).toBe(true);
    expect((await run('pause', '--resume', 'shop')).stdout).toBe(`Resumed shop  ${shop}\n`);
    expect((await registered()).find((p) => p.root === shop)?.paused).toBe(false);

    expect((await run('remove', api)).stdout).toBe(`Removed api  ${api} (its files are not touched)\n`);
    expect((await registered()).map((p) => p.root)).toEqual([shop]);
    expect((await stat(join(api, 'backlog', 'tasks'))).isDirectory()).toBe(true);
  });

  test('a folder is found by its real path, its id or its name, also once it no longer exists', async () => {
    await run('add', shop, api);
    const link = join(base, 'shop-link');
    await symlink(shop, link);
    expect((await run('pause', link)).code).toBe(0);
    const [entry] = (await registered()).filter((p) => p.root === shop);
    expect((await run('pause', '--resume', entry!.id)).stdout).toBe(`Resumed shop  ${shop}\n`);
    await rm(api, { recursive: true });
    expect((await run('remove', api)).code).toBe(0);
    expect((await registered()).map((p) => p.root)).toEqual([shop]);
  });

  test('a folder that cannot be added or is not registered is named with what to do; the others still go through', async () => {
    const ghost = join(base, 'ghost');
    const add = await run('add', ghost, shop);
    expect(add.code).toBe(1);
    expect(add.stderr).toBe(`vigil add: ${ghost}: no such folder (${ghost})\n`);
    expect((await registered()).map((p) => p.root)).toEqual([shop]);

    const remove = await run('remove', api);
    expect(remove.code).toBe(1);
    expect(remove.stderr).toBe(`vigil remove: ${api}: not a registered project (\`vigil list\` shows them)\n`);
    const pause = await run('pause', 'nothing-like-it');
    expect(pause.code).toBe(1);
    expect(pause.stderr).toContain('nothing-like-it: not a registered project');
  });

  test('with nothing registered, list says how to add; missing arguments are usage errors', async () => {
    expect((await run('list')).stdout).toBe('No projects registered yet. `vigil add <folder>` adds one.\n');
    for (const command of ['add', 'remove', 'pause']) {
      const result = await run(command);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`^vigil ${command}: give at least one folder to ${command} \\(see \`vigil ${command} --help\`\\)\n$`));
    }
  });

  test('a damaged projects file is moved aside with a warning, and the add still works', async () => {
    await mkdir(config, { recursive: true });
    await writeFile(join(config, 'projects.json'), '{"projects": [ half');
    const added = await run('add', shop);
    expect(added.code).toBe(0);
    expect(added.stderr).toMatch(/^vigil add: .*projects\.json/);
    expect((await registered()).map((p) => p.root)).toEqual([shop]);
  });
});

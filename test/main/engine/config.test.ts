import { mkdir, mkdtemp, readFile, readdir, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import { ConfigStore, readRegisteredRoots, type ConfigChange } from '../../../main/engine/config';
import { projectIdFor } from '../../../main/engine/project-id';

let base: string;
let configDir: string;
let work: string;

beforeEach(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'vigil-config-')));
  configDir = join(base, 'config');
  work = join(base, 'code');
  await mkdir(join(work, 'shop'), { recursive: true });
  await mkdir(join(work, 'blog'), { recursive: true });
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('ConfigStore', () => {
  test('a fresh folder has no projects and default settings', async () => {
    const store = new ConfigStore(configDir);
    expect(await store.load()).toEqual([]);
    expect(store.projects()).toEqual([]);
    expect(store.settings()).toEqual(DEFAULT_SETTINGS);
  });

  test('projects and settings survive a restart', async () => {
    const store = new ConfigStore(configDir);
    await store.load();
    const shop = await store.addProject(join(work, 'shop'), 1000);
    await store.addProject(join(work, 'blog'), 2000);
    await store.setPaused(shop.id, true);
    await store.updateSettings({ heartbeatMs: 500, stallMinutes: 10 });

    const again = new ConfigStore(configDir);
    expect(await again.load()).toEqual([]);
    expect(again.projects()).toEqual([
      { id: projectIdFor(join(work, 'shop')), root: join(work, 'shop'), name: 'shop', paused: true, addedAt: 1000 },
      { id: projectIdFor(join(work, 'blog')), root: join(work, 'blog'), name: 'blog', paused: false, addedAt: 2000 },
    ]);
    expect(again.settings()).toMatchObject({ heartbeatMs: 500, stallMinutes: 10, closeToTray: true });
    expect(JSON.parse(await readFile(join(configDir, 'projects.json'), 'utf8')).projects).toHaveLength(2);
  });

  test('adding resolves to the real path and dedupes the same folder', async () => {
    await symlink(join(work, 'shop'), join(work, 'shop-link'));
    const store = new ConfigStore(configDir);
    await store.load();
    const a = await store.addProject(join(work, 'shop'));
    const b = await store.addProject(join(work, 'shop-link'));
    const c = await store.addProject(`${join(work, 'shop')}/`);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(store.projects()).toHaveLength(1);
    expect(a.root).toBe(join(work, 'shop'));
  });

  test('a missing folder or a file is rejected with a clear error', async () => {
    const store = new ConfigStore(configDir);
    await store.load();
    await expect(store.addProject(join(work, 'nope'))).rejects.toThrow(`Cannot add ${join(work, 'nope')}: the folder does not exist`);
    await writeFile(join(work, 'notes.txt'), 'x');
    await expect(store.addProject(join(work, 'notes.txt'))).rejects.toThrow(/is a file, not a folder/);
    await expect(store.addProject('  ')).rejects.toThrow(/No folder given/);
    expect(store.projects()).toEqual([]);
  });

  test('remove and pause work on ids, and say when the id is unknown', async () => {
    const store = new ConfigStore(configDir);
    const shop = await store.addProject(join(work, 'shop'));
    expect(await store.removeProject('nope')).toBe(false);
    await expect(store.setPaused('nope', true)).rejects.toThrow(/No project with id nope/);
    expect(await store.removeProject(shop.id)).toBe(true);
    expect(store.projects()).toEqual([]);
  });

  test('a corrupt projects file is moved aside with a warning and defaults are in use', async () => {
    await mkdir(configDir, { recursive: true });
    await writeFile(join(configDir, 'projects.json'), '{"projects": [ {"id": ');
    await writeFile(join(configDir, 'settings.json'), '{"heartbeatMs": "fast"}');
    const store = new ConfigStore(configDir);
    const warnings = await store.load();
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/projects\.json could not be read .*moved to .*projects\.json\.corrupt-/);
    expect(warnings[1]).toMatch(/settings\.json could not be read \(heartbeatMs: .*\)/);
    expect(store.projects()).toEqual([]);
    expect(store.settings()).toEqual(DEFAULT_SETTINGS);
    const files = await readdir(configDir);
    expect(files.filter((f) => f.startsWith('projects.json.corrupt-'))).toHaveLength(1);
    expect(files.filter((f) => f.startsWith('settings.json.corrupt-'))).toHaveLength(1);
    // The broken copy is kept as it was, for the person to fix.
    const aside = files.find((f) => f.startsWith('projects.json.corrupt-')) as string;
    expect(await readFile(join(configDir, aside), 'utf8')).toBe('{"projects": [ {"id": ');
  });

  test('a settings file from an older version gains the new keys instead of being thrown away', async () => {
    await mkdir(configDir, { recursive: true });
    await writeFile(join(configDir, 'settings.json'), JSON.stringify({ heartbeatMs: 2000, notifications: { enabled: false } }));
    const store = new ConfigStore(configDir);
    expect(await store.load()).toEqual([]);
    expect(store.settings()).toEqual({
      ...DEFAULT_SETTINGS,
      heartbeatMs: 2000,
      notifications: { ...DEFAULT_SETTINGS.notifications, enabled: false },
    });
  });

  test('invalid settings are refused and nothing is saved', async () => {
    const store = new ConfigStore(configDir);
    await store.load();
    await expect(store.updateSettings({ heartbeatMs: 5 })).rejects.toThrow(/Invalid setting heartbeatMs/);
    expect(store.settings().heartbeatMs).toBe(DEFAULT_SETTINGS.heartbeatMs);
    await expect(readFile(join(configDir, 'settings.json'), 'utf8')).rejects.toThrow();
  });

  test('listeners hear about project and settings changes', async () => {
    const store = new ConfigStore(configDir);
    const changes: ConfigChange[] = [];
    const sub = store.onChange((c) => changes.push(c));
    const shop = await store.addProject(join(work, 'shop'));
    await store.updateSettings({ closeToTray: false });
    sub.close();
    await store.removeProject(shop.id);
    expect(changes.map((c) => c.what)).toEqual(['projects', 'settings']);
  });

  test('concurrent adds do not lose each other', async () => {
    const store = new ConfigStore(configDir);
    await Promise.all([store.addProject(join(work, 'shop')), store.addProject(join(work, 'blog'))]);
    const again = new ConfigStore(configDir);
    await again.load();
    expect(again.projects().map((p) => p.name).sort()).toEqual(['blog', 'shop']);
  });

  test('readRegisteredRoots reads without side effects', async () => {
    const store = new ConfigStore(configDir);
    await store.addProject(join(work, 'shop'));
    expect(await readRegisteredRoots(configDir)).toEqual([join(work, 'shop')]);
    await writeFile(join(configDir, 'projects.json'), 'garbage');
    expect(await readRegisteredRoots(configDir)).toEqual([]);
    expect((await readdir(configDir)).some((f) => f.includes('corrupt'))).toBe(false);
  });
});

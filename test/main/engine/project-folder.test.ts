// Which folders may be a project: never the file system's root, the home folder itself or a
// system folder — whether they come from `project:add`, the command line or the config file.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { ConfigStore } from '../../../main/engine/config';
import { createEngine, type Engine } from '../../../main/engine/engine';
import { projectIdFor } from '../../../main/engine/project-id';
import { realProjectFolder, refusedRootReason } from '../../../main/engine/project-folder';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('refusedRootReason', () => {
  test('the root, the home folder and system folders are refused; folders inside home or /tmp are not', () => {
    expect(refusedRootReason('/', '/home/ann')).toMatch(/root of the file system/);
    expect(refusedRootReason('/home/ann', '/home/ann')).toMatch(/home folder/);
    for (const system of ['/etc', '/etc/nginx', '/proc/1', '/sys', '/dev/shm', '/usr', '/var', '/boot', '/home', '/tmp']) {
      expect(refusedRootReason(system, '/home/ann'), system).toMatch(/system folder/);
    }
    for (const fine of ['/home/ann/code/shop', '/tmp/vigil-x/project', '/srv/www/site', '/usr/local/src/tool']) {
      expect(refusedRootReason(fine, '/home/ann'), fine).toBeNull();
    }
  });

  test('realProjectFolder refuses / with the reason a person can act on', async () => {
    await expect(realProjectFolder('/')).rejects.toThrow(/Cannot add \/ is the root of the file system; choose the project's own folder/);
  });
});

describe('the engine', () => {
  test('a refused root on the command line stops the engine from starting, with the reason', async () => {
    await expect(createEngine({ roots: ['/'], driftSweepMs: 0 })).rejects.toThrow(/root of the file system/);
  });

  test('a refused root written into projects.json by hand is not watched, and is reported', async () => {
    const base = await mkdtemp(join(tmpdir(), 'vigil-roots-'));
    cleanups.push(() => rm(base, { recursive: true, force: true }));
    const project = join(base, 'shop');
    await mkdir(join(project, '.planning'), { recursive: true });
    await writeFile(join(project, '.planning', 'ROADMAP.md'), '# Roadmap\n');
    const entries = [
      { id: projectIdFor('/'), root: '/', name: 'everything', paused: false, addedAt: 1 },
      { id: projectIdFor(project), root: project, name: 'shop', paused: false, addedAt: 2 },
    ];
    await writeFile(join(base, 'projects.json'), JSON.stringify({ projects: entries }));
    const errors: string[] = [];
    const engine: Engine = await createEngine({ config: new ConfigStore(base), driftSweepMs: 0, onError: (err) => errors.push(String(err)) });
    cleanups.push(() => engine.close());
    expect(engine.projects().map((p) => p.root)).toEqual([project]);
    expect(errors.join('\n')).toMatch(/root of the file system.*projects\.json/);
  });
});

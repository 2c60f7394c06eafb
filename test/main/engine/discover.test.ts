import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { detectSources, discoverProjects, scanForProjects } from '../../../main/engine/discover';

let base: string;

async function touch(rel: string, text = ''): Promise<void> {
  const path = join(base, rel);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

beforeAll(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'vigil-discover-')));
  // One project per convention, in the layouts docs/formats.md describes.
  await touch('gsd-app/.planning/STATE.md', 'Phase: 1 of 3\n');
  await touch('clients/acme/coderef/working/auth/plan.json', '{}');
  await touch('bmad6/_bmad-output/implementation-artifacts/sprint-status.yaml', 'development_status: {}\n');
  await touch('bmad-alpha/docs/sprint-artifacts/sprint-status.yaml', 'development_status: {}\n');
  await touch('speckit/specs/001-login/spec.md', '# Login\n');
  await touch('tm/.taskmaster/tasks/tasks.json', '{"master":{"tasks":[]}}');
  await touch('tm-legacy/tasks/tasks.json', '{"tasks":[]}');
  await touch('board/backlog/config.yml', 'project_name: board\n');
  await mkdir(join(base, 'board2/.backlog/tasks'), { recursive: true });
  await mkdir(join(base, 'kiro-app/.kiro/specs/checkout'), { recursive: true });
  await mkdir(join(base, 'os-app/openspec/changes/add-2fa'), { recursive: true });
  await touch('multi/.planning/ROADMAP.md', '# Roadmap\n');
  await touch('multi/coderef/workorder-log.txt', '');

  // Generic folder names without the evidence of a convention are not projects.
  await touch('not-speckit/specs/api.md', '# API\n');
  await touch('not-tm/tasks/todo.txt', 'x\n');
  await touch('not-backlog/backlog/notes.md', 'x\n');
  await touch('not-bmad/docs/guide.md', 'x\n');

  // Places the walk must not go.
  await touch('gsd-app/packages/inner/.planning/STATE.md', '');
  await touch('web/node_modules/some-pkg/.planning/STATE.md', '');
  await touch('.cache/hidden-proj/.planning/STATE.md', '');
  await touch('deep/a/b/c/d/e/.planning/STATE.md', '');
  await symlink(join(base, 'gsd-app'), join(base, 'linked-app'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('discoverProjects', () => {
  test('finds one project per convention, and a project with several', async () => {
    const found = await discoverProjects(base, { registeredRoots: [join(base, 'tm')] });
    const byName = Object.fromEntries(found.map((p) => [p.root.slice(base.length + 1), [...p.sources].sort()]));
    expect(byName).toEqual({
      'gsd-app': ['gsd'],
      'clients/acme': ['coderef'],
      bmad6: ['bmad'],
      'bmad-alpha': ['bmad'],
      speckit: ['speckit'],
      tm: ['taskmaster'],
      'tm-legacy': ['taskmaster'],
      board: ['backlog'],
      board2: ['backlog'],
      'kiro-app': ['kiro'],
      'os-app': ['openspec'],
      multi: ['coderef', 'gsd'],
    });
    const tm = found.find((p) => p.root === join(base, 'tm'));
    expect(tm).toEqual({ root: join(base, 'tm'), name: 'tm', sources: ['taskmaster'], registered: true });
    expect(found.filter((p) => p.registered)).toHaveLength(1);
  });

  test('does not descend into a project, node_modules, hidden folders or symlinks, nor past maxDepth', async () => {
    const roots = (await discoverProjects(base)).map((p) => p.root);
    expect(roots).not.toContain(join(base, 'gsd-app/packages/inner'));
    expect(roots.some((r) => r.includes('node_modules'))).toBe(false);
    expect(roots.some((r) => r.includes('.cache'))).toBe(false);
    expect(roots).not.toContain(join(base, 'linked-app'));
    expect(roots).not.toContain(join(base, 'deep/a/b/c/d/e'));
    const deeper = (await discoverProjects(base, { maxDepth: 6 })).map((p) => p.root);
    expect(deeper).toContain(join(base, 'deep/a/b/c/d/e'));
  });

  test('a folder that is itself a project is the only result', async () => {
    const found = await discoverProjects(join(base, 'gsd-app'));
    expect(found.map((p) => p.root)).toEqual([join(base, 'gsd-app')]);
  });

  test('the walk is bounded and says when it stopped early', async () => {
    const limited = await scanForProjects(base, { maxDirs: 5 });
    expect(limited.limitReached).toBe(true);
    expect(limited.visitedDirs).toBe(5);
    const full = await scanForProjects(base);
    expect(full.limitReached).toBe(false);
    expect(full.visitedDirs).toBeGreaterThan(20);
  });

  test('a missing folder or a file is a clear error', async () => {
    await expect(discoverProjects(join(base, 'nope'))).rejects.toThrow(`Cannot look for projects in ${join(base, 'nope')}: the folder does not exist`);
    await expect(discoverProjects(join(base, 'gsd-app/.planning/STATE.md'))).rejects.toThrow(/is a file, not a folder/);
  });
});

describe('detectSources', () => {
  test('lists the conventions in one folder', async () => {
    expect((await detectSources(join(base, 'multi'))).sort()).toEqual(['coderef', 'gsd']);
    expect(await detectSources(join(base, 'not-speckit'))).toEqual([]);
  });
});

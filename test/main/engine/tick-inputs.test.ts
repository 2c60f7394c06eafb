// What the heartbeat tick reads from every project is kept between ticks: while nothing changes
// the tick hands health the very same lists and per-project objects (it builds nothing per
// project), and a change replaces exactly what it touched.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createEngine, type Engine } from '../../../main/engine/engine';
import type { TickInputs } from '../../../main/engine/tick-inputs';
import { tempDir, writeFiles } from './live-helpers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

const tasks = (name: string, done: boolean) => `# Tasks: ${name}\n\n## Phase 1\n\n- [x] T001 Set up\n- [${done ? 'x' : ' '}] T002 Build ${name}\n`;

/** A spec-kit project with one feature in progress. */
function project(name: string): string {
  const dir = tempDir();
  cleanups.push(dir.remove);
  writeFiles(dir.path, { [`specs/001-${name}/tasks.md`]: tasks(name, false), [`specs/001-${name}/spec.md`]: `# ${name}\n` });
  return dir.path;
}

interface Internals {
  tick(): void;
  tickInputs: TickInputs;
}

async function engineOn(roots: string[]): Promise<{ engine: Engine; tick: () => void; inputs: TickInputs }> {
  // Not running: no watcher and no heartbeat timer, so the test decides when a tick happens.
  const engine = await createEngine({ roots, running: false, driftSweepMs: 0, stallMinutes: 30 });
  cleanups.push(() => engine.close());
  const internals = engine as unknown as Internals;
  return { engine, tick: () => internals.tick(), inputs: internals.tickInputs };
}

const idOf = (engine: Engine, root: string) => engine.projects().find((p) => p.root === root)?.id as string;

describe('the heartbeat tick inputs', () => {
  test('idle ticks hand health the same lists and the same per-project objects', async () => {
    const roots = [project('alpha'), project('beta'), project('gamma')];
    const { tick, inputs } = await engineOn(roots);
    tick();
    const first = { projects: inputs.projects, hooks: inputs.hookProjects, issues: inputs.issues, items: [...inputs.projects] };
    expect(first.projects).toHaveLength(3);
    expect(first.hooks).toHaveLength(3);
    expect(first.projects.map((p) => p.inProgress.length)).toEqual([1, 1, 1]);
    for (let i = 0; i < 5; i++) tick();
    expect(inputs.projects).toBe(first.projects);
    expect(inputs.hookProjects).toBe(first.hooks);
    expect(inputs.issues).toBe(first.issues);
    inputs.projects.forEach((p, i) => expect(p).toBe(first.items[i]));
  });

  test('a change replaces the list and only the changed project’s entry', async () => {
    const roots = [project('alpha'), project('beta'), project('gamma')];
    const { engine, tick, inputs } = await engineOn(roots);
    tick();
    const before = [...inputs.projects];
    const list = inputs.projects;
    writeFileSync(join(roots[1] as string, 'specs/001-beta/tasks.md'), tasks('beta', true));
    await engine.refresh();
    tick();
    expect(inputs.projects).not.toBe(list);
    expect(inputs.projects[0]).toBe(before[0]);
    expect(inputs.projects[1]).not.toBe(before[1]);
    expect(inputs.projects[1]?.inProgress).toHaveLength(0);
    expect(inputs.projects[2]).toBe(before[2]);
  });

  test('a broken file’s issue reaches the list of issues, and leaves it when fixed', async () => {
    const root = project('alpha');
    const { engine, tick, inputs } = await engineOn([root]);
    tick();
    expect(inputs.issues).toEqual([]);
    writeFiles(root, { '.taskmaster/tasks/tasks.json': '{"master": {"tasks": [' });
    await engine.refresh();
    tick();
    expect(inputs.issues.map((i) => i.path)).toEqual(['.taskmaster/tasks/tasks.json']);
    const withIssue = inputs.issues;
    tick();
    expect(inputs.issues).toBe(withIssue);
    writeFiles(root, { '.taskmaster/tasks/tasks.json': '{"master": {"tasks": []}}' });
    await engine.refresh();
    tick();
    expect(inputs.issues).toEqual([]);
  });

  test('a paused project leaves the hooks’ list, a removed one leaves every list', async () => {
    const roots = [project('alpha'), project('beta')];
    const { engine, tick, inputs } = await engineOn(roots);
    tick();
    await engine.pauseProject(idOf(engine, roots[0] as string), true);
    tick();
    expect(inputs.projects).toHaveLength(2);
    expect(inputs.hookProjects.map((p) => p.root)).toEqual([roots[1]]);
    await engine.removeProject(idOf(engine, roots[1] as string));
    tick();
    expect(inputs.projects.map((p) => p.project.root)).toEqual([roots[0]]);
    expect(inputs.hookProjects).toEqual([]);
  });
});

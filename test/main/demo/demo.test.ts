// `vigil demo`'s workspace and simulated agent: real files in a temp folder, read back through
// the same loader and model `vigil scan` uses.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { scanFolder } from '../../../main/commands/scan';
import { demoStarterFor, startDemo, type DemoHandle } from '../../../main/demo/start-demo';

let parent: string;
let demo: DemoHandle | null = null;

beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), 'vigil-demo-test-'));
});

afterEach(async () => {
  await demo?.close();
  demo = null;
  await rm(parent, { recursive: true, force: true });
});

const EXPECTED_SOURCES: Record<string, string> = {
  'atlas-api': 'coderef',
  'orbit-web': 'gsd',
  'lumen-mobile': 'bmad',
  'relay-cli': 'speckit',
  'quarry-data': 'taskmaster',
  'harbor-docs': 'backlog',
  'ember-ui': 'kiro',
  'pilot-infra': 'openspec',
};

describe('the demo workspace', () => {
  test('has one project per convention, each read with plans and without parse issues', async () => {
    demo = await startDemo({ parentDir: parent, autoStart: false, seed: 1 });
    expect(demo.projectRoots.map((r) => basename(r)).sort()).toEqual(Object.keys(EXPECTED_SOURCES).sort());
    for (const root of demo.projectRoots) {
      const scanned = await scanFolder(root);
      expect(scanned.sources, root).toEqual([EXPECTED_SOURCES[basename(root)]]);
      expect(scanned.plans.length, root).toBeGreaterThan(0);
      expect(scanned.issues, root).toEqual([]);
    }
    const coderef = await scanFolder(join(demo.root, 'atlas-api'));
    expect(coderef.workorders.map((w) => w.id)).toContain('WO-AUTH-SYSTEM-001');
    expect(coderef.stubs.length).toBeGreaterThan(0);
  });

  test('the simulated agent moves statuses, grows the log, fails now and then, and always leaves files that parse', async () => {
    demo = await startDemo({ parentDir: parent, autoStart: false, seed: 42 });
    const statusesSeen = new Map<string, Set<string>>();
    const record = async () => {
      for (const root of demo!.projectRoots) {
        const scanned = await scanFolder(root);
        expect(scanned.issues, root).toEqual([]);
        for (const item of [...scanned.plans, ...scanned.workorders]) {
          const key = `${basename(root)}:${item.id}`;
          if (!statusesSeen.has(key)) statusesSeen.set(key, new Set());
          statusesSeen.get(key)!.add(item.status);
        }
      }
    };
    const logPath = join(demo.root, 'atlas-api/coderef/workorder-log.txt');
    const linesBefore = (await readFile(logPath, 'utf8')).split('\n').length;
    await record();
    for (let i = 0; i < 240; i++) {
      expect(await demo.agent.step()).not.toBeNull();
      if (i % 20 === 19) await record();
    }
    const moved = [...statusesSeen.values()].filter((s) => s.size > 1).length;
    expect(moved).toBeGreaterThan(10);
    expect([...statusesSeen.values()].some((s) => s.has('failed'))).toBe(true);
    expect((await readFile(logPath, 'utf8')).split('\n').length).toBeGreaterThan(linesBefore + 20);
  });

  test('running by itself it steps every few milliseconds when told to, and close() stops it and deletes the workspace', async () => {
    demo = await startDemo({ parentDir: parent, seed: 5, minDelayMs: 5, maxDelayMs: 10 });
    await expect.poll(() => demo!.agent.stepCount, { timeout: 5000 }).toBeGreaterThan(3);
    const root = demo.root;
    await demo.close();
    const steps = demo.agent.stepCount;
    expect(existsSync(root)).toBe(false);
    await new Promise((r) => setTimeout(r, 50));
    expect(demo.agent.stepCount).toBe(steps);
    await demo.close();
    demo = null;
  });
});

describe('demoStarterFor (the server side of demo:start)', () => {
  test('the first request makes the demo and adds its projects; later requests answer the same; close removes them', async () => {
    const added: string[] = [];
    const removed: string[] = [];
    const engine = {
      addProject: async (root: string) => {
        added.push(root);
        return { id: `id-${basename(root)}` } as never;
      },
      removeProject: async (id: string) => void removed.push(id),
    };
    const starter = demoStarterFor(engine, { parentDir: parent, autoStart: false });
    const first = await starter.start();
    const second = await starter.start();
    expect(first.projectIds).toHaveLength(8);
    expect(second).toEqual(first);
    expect(added).toHaveLength(8);
    const root = join(added[0]!, '..');
    expect(existsSync(root)).toBe(true);
    await starter.close();
    expect(removed.sort()).toEqual([...first.projectIds].sort());
    expect(existsSync(root)).toBe(false);
  });
});

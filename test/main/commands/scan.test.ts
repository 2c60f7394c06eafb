// `vigil scan` as scripts use it: the built CLI on a real folder holding all eight
// conventions, its JSON contract, and how it treats folders it cannot read.
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { STATUSES } from '../../../shared/model';
import { writeEightConventions } from './eight-conventions';
import { makeUnreadableFolder, withoutReadOverride } from './permission-denied';

const CLI = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));

function vigil(args: string[], withoutOverride = false): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = withoutOverride ? withoutReadOverride(process.execPath, [CLI, ...args]) : { command: process.execPath, args: [CLI, ...args] };
  return new Promise((resolve) => {
    execFile(run.command, run.args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? 1) : 0;
      resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
    });
  });
}

interface ScanJson {
  projects: {
    root: string;
    name: string;
    sources: string[];
    plans: { id: string; source: string; kind: string; title: string; status: string; rawStatus: string; progress: { done: number; total: number }; path: string; parent: string | null; updatedAt: number }[];
    stubs: { id: string; source: string; title: string; status: string; rawStatus: string; path: string; updatedAt: number }[];
    workorders: { id: string; source: string; title: string; status: string; path: string }[];
    issues: { path: string; line: number | null; message: string }[];
  }[];
}

let workspace: string;
beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'vigil-scan-'));
  writeEightConventions(workspace);
});
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const count = <T extends { source: string }>(items: T[], source: string, pick: (x: T) => boolean = () => true): number =>
  items.filter((x) => x.source === source && pick(x)).length;

describe('vigil scan', () => {
  test('--json reports each of the eight conventions in one folder with the right counts', async () => {
    const { code, stdout, stderr } = await vigil(['scan', workspace, '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as ScanJson;
    expect(doc.projects).toHaveLength(1);
    const p = doc.projects[0]!;
    expect(p.root).toBe(workspace);
    expect(p.sources.sort()).toEqual(['backlog', 'bmad', 'coderef', 'gsd', 'kiro', 'openspec', 'speckit', 'taskmaster']);

    // coderef: two features (the archived one done whatever it says), one stub, two work orders.
    expect(count(p.plans, 'coderef')).toBe(2);
    expect(p.plans.find((x) => x.id.includes('csv-export'))).toMatchObject({ status: 'done', rawStatus: 'planning' });
    expect(count(p.stubs, 'coderef')).toBe(1);
    expect(p.workorders.map((w) => w.id).sort()).toEqual(['WO-AUTH-SYSTEM-001', 'WO-CSV-EXPORT-001']);

    // GSD: two phases, three plans (done by SUMMARY), one quick task, one pending todo.
    expect(count(p.plans, 'gsd', (x) => x.kind === 'phase')).toBe(2);
    expect(count(p.plans, 'gsd', (x) => x.kind === 'plan')).toBe(3);
    expect(count(p.plans, 'gsd', (x) => x.kind === 'plan' && x.status === 'done')).toBe(1);
    expect(count(p.plans, 'gsd', (x) => x.kind === 'quick')).toBe(1);
    expect(count(p.stubs, 'gsd')).toBe(1);
    expect(p.plans.filter((x) => x.source === 'gsd' && x.kind === 'plan').every((x) => x.parent?.startsWith('gsd:phase:'))).toBe(true);

    // BMAD: two epics, three stories; the legacy `drafted` is ready-for-dev; the backlog story is a stub too.
    expect(count(p.plans, 'bmad', (x) => x.kind === 'epic')).toBe(2);
    expect(count(p.plans, 'bmad', (x) => x.kind === 'story')).toBe(3);
    expect(p.plans.find((x) => x.id.includes('1-2-password-reset'))).toMatchObject({ status: 'todo', rawStatus: 'drafted' });
    expect(count(p.stubs, 'bmad')).toBe(1);

    // spec-kit: two features; checklists are not progress.
    expect(count(p.plans, 'speckit')).toBe(2);
    expect(p.plans.find((x) => x.id.includes('001-user-login'))?.progress).toEqual({ done: 1, total: 3 });

    // Task Master: three tasks (tagged form), subtasks as progress.
    expect(count(p.plans, 'taskmaster')).toBe(3);
    expect(p.plans.find((x) => x.source === 'taskmaster' && x.title === 'Build API')?.progress).toEqual({ done: 1, total: 2 });

    // Backlog.md: three tasks (archive/ is off the board), one draft as a stub; Done before Blocked still done.
    expect(count(p.plans, 'backlog')).toBe(3);
    expect(count(p.plans, 'backlog', (x) => x.status === 'done')).toBe(1);
    expect(count(p.stubs, 'backlog')).toBe(1);

    // Kiro: one spec; OpenSpec: one active change and one archived (done).
    expect(count(p.plans, 'kiro')).toBe(1);
    expect(count(p.plans, 'openspec')).toBe(2);
    expect(p.plans.find((x) => x.id.includes('add-login'))?.status).toBe('done');

    expect(p.plans).toHaveLength(24);
    expect(p.stubs).toHaveLength(4);
    expect(p.issues).toEqual([]);

    // The contract: normalized statuses, relative paths, nothing from node_modules or src.
    for (const item of [...p.plans, ...p.stubs, ...p.workorders]) {
      expect(STATUSES).toContain(item.status);
      expect(item.path.startsWith('/')).toBe(false);
      expect(item.path).not.toMatch(/node_modules|^src\//);
    }
    expect(Object.keys(p.plans[0]!).sort()).toEqual(['id', 'kind', 'parent', 'path', 'progress', 'rawStatus', 'source', 'status', 'title', 'updatedAt']);
    expect(Object.keys(p.stubs[0]!).sort()).toEqual(['id', 'path', 'rawStatus', 'source', 'status', 'title', 'updatedAt']);
    expect(Object.keys(p.workorders[0]!).sort()).toEqual(['activity', 'id', 'lastActivity', 'path', 'source', 'status', 'title', 'updatedAt']);
  });

  test('without --json it prints a readable summary per project', async () => {
    const { code, stdout } = await vigil(['scan', workspace]);
    expect(code).toBe(0);
    expect(stdout).toContain('sources:    coderef, gsd, bmad, speckit, taskmaster, backlog, kiro, openspec');
    expect(stdout).toMatch(/progress: +\d+\/\d+ plans finished/);
    expect(stdout).toContain('plans:      24');
    expect(stdout).toContain('issues:     0');
  });

  test('a folder that does not exist is an error naming it, exit code 2, and the others are still reported', async () => {
    const missing = join(workspace, 'no-such-project');
    const { code, stdout, stderr } = await vigil(['scan', missing, workspace, '--json']);
    expect(code).toBe(2);
    expect(stderr).toContain(missing);
    expect(stderr).toMatch(/no such folder/);
    const doc = JSON.parse(stdout) as ScanJson;
    expect(doc.projects.map((p) => p.root)).toEqual([workspace]);
  });

  test('a folder that cannot be read is an error naming it, exit code 2', async () => {
    const locked = makeUnreadableFolder('vigil-locked-');
    try {
      const { code, stderr, stdout } = await vigil(['scan', locked, workspace, '--json'], true);
      expect(code).toBe(2);
      expect(stderr).toContain(locked);
      expect(stderr).toMatch(/permission denied/);
      expect((JSON.parse(stdout) as ScanJson).projects).toHaveLength(1);
    } finally {
      chmodSync(locked, 0o700);
      rmSync(locked, { recursive: true, force: true });
    }
  });

  test('a planning folder that cannot be read inside a project is an issue naming it, and the rest is still read', async () => {
    const project = mkdtempSync(join(tmpdir(), 'vigil-partly-locked-'));
    const locked = makeUnreadableFolder('vigil-locked-feature-');
    const { mkdirSync, renameSync, writeFileSync } = await import('node:fs');
    try {
      mkdirSync(join(project, 'specs/001-open'), { recursive: true });
      writeFileSync(join(project, 'specs/001-open/tasks.md'), '# Tasks\n\n- [x] T001 Build it\n');
      renameSync(locked, join(project, 'specs/002-locked'));
      const { code, stdout } = await vigil(['scan', project, '--json'], true);
      expect(code).toBe(0);
      const p = (JSON.parse(stdout) as ScanJson).projects[0]!;
      expect(p.plans.map((x) => x.id)).toEqual(['speckit:feature:001-open']);
      expect(p.issues).toEqual([{ path: 'specs/002-locked', line: null, message: expect.stringMatching(/^Cannot read the folder specs\/002-locked: permission denied/) }]);
    } finally {
      chmodSync(join(project, 'specs/002-locked'), 0o700);
      rmSync(project, { recursive: true, force: true });
    }
  });

  test('a half-written file is an issue with its path, never a lost project', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'vigil-broken-'));
    try {
      const { writeFileSync, mkdirSync } = await import('node:fs');
      mkdirSync(join(broken, '.taskmaster/tasks'), { recursive: true });
      writeFileSync(join(broken, '.taskmaster/tasks/tasks.json'), '{"master": {"tasks": [{"id": 1, "tit');
      const { code, stdout } = await vigil(['scan', broken, '--json']);
      expect(code).toBe(0);
      const p = (JSON.parse(stdout) as ScanJson).projects[0]!;
      expect(p.issues).toHaveLength(1);
      expect(p.issues[0]).toMatchObject({ path: '.taskmaster/tasks/tasks.json' });
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });

  test('a planning file whose frontmatter asks for JavaScript is a parse issue and runs nothing', async () => {
    const hostile = mkdtempSync(join(tmpdir(), 'vigil-hostile-'));
    const marker = join(hostile, 'ran.txt');
    try {
      const { writeFileSync, mkdirSync, existsSync } = await import('node:fs');
      mkdirSync(join(hostile, 'backlog/tasks'), { recursive: true });
      const code = `process.stdout.write('RAN'); process.getBuiltinModule('fs').writeFileSync(${JSON.stringify(marker)}, 'x'); ({ id: 'task-1', status: 'Done' })`;
      writeFileSync(join(hostile, 'backlog/tasks/task-1 - Innocent.md'), `---js\n${code}\n---\n# Innocent\n`);
      const { code: exit, stdout } = await vigil(['scan', hostile, '--json']);
      expect(exit).toBe(0);
      expect(existsSync(marker)).toBe(false);
      expect(stdout.startsWith('RAN')).toBe(false);
      const p = (JSON.parse(stdout) as ScanJson).projects[0]!;
      expect(p.issues).toEqual([{ path: 'backlog/tasks/task-1 - Innocent.md', line: 1, message: expect.stringMatching(/only YAML frontmatter is read/) }]);
    } finally {
      rmSync(hostile, { recursive: true, force: true });
    }
  });

  test("an item's updatedAt is its file's modification time, not when the scan ran", async () => {
    const old = mkdtempSync(join(tmpdir(), 'vigil-old-'));
    try {
      const { writeFileSync, mkdirSync, utimesSync } = await import('node:fs');
      mkdirSync(join(old, '.kiro/specs/frost-alerts'), { recursive: true });
      const tasks = join(old, '.kiro/specs/frost-alerts/tasks.md');
      writeFileSync(tasks, '# Implementation Plan\n\n- [x] 1. Read the forecast\n- [ ] 2. Send the alert\n');
      const june = new Date('2026-06-14T08:30:00Z');
      utimesSync(tasks, june, june);
      const { code, stdout } = await vigil(['scan', old, '--json']);
      expect(code).toBe(0);
      const p = (JSON.parse(stdout) as ScanJson).projects[0]!;
      expect(p.plans).toEqual([expect.objectContaining({ id: 'kiro:spec:frost-alerts', updatedAt: june.getTime() })]);
    } finally {
      rmSync(old, { recursive: true, force: true });
    }
  });

  test('a file Vigil cannot read, or that its tool would not read, is an issue on that file in scan --json, never a silent drop', async () => {
    const odd = mkdtempSync(join(tmpdir(), 'vigil-odd-'));
    const outside = mkdtempSync(join(tmpdir(), 'vigil-outside-'));
    try {
      const { writeFileSync, mkdirSync, symlinkSync } = await import('node:fs');
      mkdirSync(join(odd, 'backlog/tasks/summer'), { recursive: true });
      writeFileSync(join(odd, 'backlog/tasks/task-1 - Prune the hedges.md'), '---\nid: task-1\ntitle: Prune the hedges\nstatus: To Do\n---\n');
      writeFileSync(join(odd, 'backlog/tasks/ideas.md'), '# Loose notes\n');
      writeFileSync(join(odd, 'backlog/tasks/summer/task-2 - Water.md'), '---\nid: task-2\ntitle: Water\nstatus: To Do\n---\n');
      mkdirSync(join(odd, '.kiro/specs/linked'), { recursive: true });
      writeFileSync(join(outside, 'tasks.md'), '- [x] 1. secret plan\n');
      symlinkSync(join(outside, 'tasks.md'), join(odd, '.kiro/specs/linked/tasks.md'));
      const { code, stdout } = await vigil(['scan', odd, '--json']);
      expect(code).toBe(0);
      const p = (JSON.parse(stdout) as ScanJson).projects[0]!;
      expect(p.plans.map((x) => x.id)).toEqual(['backlog:task:task-1']);
      expect(p.issues).toEqual([
        { path: '.kiro/specs/linked/tasks.md', line: null, message: expect.stringMatching(/symbolic link/) },
        { path: 'backlog/tasks/ideas.md', line: null, message: expect.stringMatching(/not on its board/) },
        { path: 'backlog/tasks/summer', line: null, message: expect.stringMatching(/not on the Backlog\.md board/) },
      ]);
      expect(stdout).not.toContain('secret plan');
    } finally {
      rmSync(odd, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });

  test('a file given instead of a folder is an error naming it', async () => {
    const file = join(workspace, 'specs/001-user-login/spec.md');
    const { code, stderr } = await vigil(['scan', file]);
    expect(code).toBe(2);
    expect(stderr).toContain(file);
    expect(stderr).toMatch(/not a folder/);
  });

  test('no folder at all is a usage error', async () => {
    const { code, stderr } = await vigil(['scan']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/at least one folder/);
  });
});

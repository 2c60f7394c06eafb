// The live engine on real temp folders with real watchers (inotify on Linux, fs.watch elsewhere;
// chokidar when polling):
// what a person sees when files change under it.
import { closeSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createEngine, type Engine, type EngineOptions } from '../../../main/engine/engine';
import { ADAPTERS } from '../../../main/sources/index';
import type { SourceAdapter } from '../../../main/sources/types';
import { Recorder, sleep, speckitFeature, taskmasterTasks, tempDir, waitUntil, writeFiles } from './live-helpers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(files: Record<string, string>, options: EngineOptions = {}): Promise<{ root: string; engine: Engine; rec: Recorder }> {
  const dir = tempDir();
  cleanups.push(dir.remove);
  writeFiles(dir.path, files);
  const engine = await createEngine({ roots: [dir.path], driftSweepMs: 0, missingPollMs: 50, issueQuietMs: 300, ...options });
  cleanups.push(() => engine.close());
  const rec = new Recorder();
  engine.hub.addSink(rec);
  return { root: engine.projects()[0]?.root ?? dir.path, engine, rec };
}

/** The adapters, with one of them counting how often it parses each path. */
function countingParses(id: string): { adapters: SourceAdapter[]; parses: Map<string, number> } {
  const parses = new Map<string, number>();
  const adapters = ADAPTERS.map((adapter) => {
    if (adapter.id !== id) return adapter;
    return {
      ...adapter,
      parse(rel: string, text: string) {
        parses.set(rel, (parses.get(rel) ?? 0) + 1);
        return adapter.parse(rel, text);
      },
    };
  });
  return { adapters, parses };
}

const TASKS = 'specs/001-user-login/tasks.md';

describe('live engine', () => {
  test('a checkbox ticked in a spec-kit tasks.md yields exactly one item:status and one plan:updated', async () => {
    const { root, engine, rec } = await start(speckitFeature());
    const before = engine.snapshot().plans.find((p) => p.source === 'speckit');
    expect(before).toMatchObject({ status: 'todo', progress: { done: 0, total: 3 } });

    writeFileSync(join(root, TASKS), speckitFeature([true, false, false])[TASKS] as string);
    const status = await rec.waitFor('item:status');
    expect(status.payload).toMatchObject({ kind: 'plan', id: before?.id, from: 'todo', to: 'in_progress' });

    // Let any late watcher event arrive: it must not produce a second event.
    await sleep(400);
    await engine.whenIdle();
    expect(rec.of('item:status')).toHaveLength(1);
    expect(rec.of('plan:updated')).toHaveLength(1);
    expect(rec.of('plan:updated')[0]?.payload.plan.progress).toEqual({ done: 1, total: 3 });
  });

  test('a burst of 50 writes to one file is parsed once', async () => {
    const { adapters, parses } = countingParses('speckit');
    const { root, engine, rec } = await start(speckitFeature(), { adapters });
    parses.clear();

    const text = speckitFeature([true, true, false])[TASKS] as string;
    for (let i = 0; i < 50; i++) writeFileSync(join(root, TASKS), `${text}\n<!-- save ${i} -->\n`);
    await rec.waitFor('plan:updated');
    await sleep(300);
    await engine.whenIdle();
    expect(parses.get(TASKS)).toBe(1);
    expect(rec.of('plan:updated')).toHaveLength(1);
    expect(engine.snapshot().plans.find((p) => p.source === 'speckit')?.progress).toEqual({ done: 2, total: 3 });
  });

  test('an atomic save (temp file + rename) is seen', async () => {
    const { root, rec } = await start(speckitFeature());
    const temp = join(root, 'specs/001-user-login/.tasks.md.tmp-1234');
    writeFileSync(temp, speckitFeature([true, true, true])[TASKS] as string);
    renameSync(temp, join(root, TASKS));
    const status = await rec.waitFor('item:status');
    expect(status.payload).toMatchObject({ from: 'todo', to: 'done' });
  });

  test('a half-written JSON keeps the last good plan and reports an issue only after the file is quiet', async () => {
    const file = '.taskmaster/tasks/tasks.json';
    const { root, engine, rec } = await start({ [file]: taskmasterTasks(['done', 'pending']) }, { issueQuietMs: 400 });
    const plansBefore = engine.snapshot().plans.map((p) => [p.id, p.status]);
    expect(plansBefore).toHaveLength(2);

    const full = taskmasterTasks(['done', 'in-progress']);
    const writtenAt = Date.now();
    writeFileSync(join(root, file), full.slice(0, Math.floor(full.length / 2)));

    // While the writer may still be at it: no issue, the last good plans stay.
    await sleep(150);
    expect(rec.of('parse:issue')).toHaveLength(0);
    expect(engine.snapshot().plans.map((p) => [p.id, p.status])).toEqual(plansBefore);

    // Quiet for long enough: now it is a problem worth showing, and the plans are still there.
    const issue = await rec.waitFor('parse:issue');
    expect(Date.now() - writtenAt).toBeGreaterThanOrEqual(390);
    expect(issue.payload.path).toBe(file);
    expect(issue.payload.issues.length).toBeGreaterThan(0);
    expect(issue.payload.issues[0]?.message).toMatch(/JSON/);
    expect(engine.snapshot().plans.map((p) => [p.id, p.status])).toEqual(plansBefore);
    expect(rec.of('plan:removed')).toHaveLength(0);

    // The writer finishes: the issue clears and the change lands.
    writeFileSync(join(root, file), full);
    const cleared = await rec.waitFor('parse:issue', (e) => e.payload.issues.length === 0);
    expect(cleared.payload.path).toBe(file);
    const status = await rec.waitFor('item:status');
    expect(status.payload).toMatchObject({ from: 'todo', to: 'in_progress' });
  });

  test('a tasks.md cut short at a line end (a strict prefix of the last version) by a writer still holding it is held back, then shown if it stays', async () => {
    const file = 'specs/001-user-login/tasks.md';
    const files = speckitFeature();
    const { root, engine, rec } = await start(files, { issueQuietMs: 300 });
    expect(engine.snapshot().plans.map((p) => p.progress)).toEqual([{ done: 0, total: 3 }]);

    // A writer that paused after its second task: whole lines, newline-ended, but shorter.
    const full = files[file] as string;
    const prefix = full.slice(0, full.indexOf('\n## Phase 2') + 1);
    expect(prefix.endsWith('\n') && full.startsWith(prefix)).toBe(true);
    const afterSeq = rec.lastSeq;
    const writtenAt = performance.now();
    // The writer keeps the file open (where the watch hears closes, a close would end the hold).
    const fd = openSync(join(root, file), 'w');
    cleanups.push(() => closeSync(fd));
    writeSync(fd, prefix);

    // Kept back for the longest hold (300 ms after the file's last event), then shown: a file
    // really saved like that is not lost.
    const shown = await rec.waitFor('plan:updated', (e) => e.payload.plan.progress.total === 2, { afterSeq });
    expect(performance.now() - writtenAt).toBeGreaterThanOrEqual(290);
    expect(shown.payload.plan.progress).toMatchObject({ total: 2 });
  });

  test('a deleted project root goes missing and comes back when re-created', async () => {
    const { root, engine, rec } = await start(speckitFeature([true, false, false]));
    const id = engine.projects()[0]?.id;
    rmSync(root, { recursive: true, force: true });
    const missing = await rec.waitFor('project:state', (e) => e.payload.to === 'missing');
    expect(missing.payload).toMatchObject({ projectId: id, from: 'ok' });
    expect(engine.projects()[0]?.state).toBe('missing');
    // The last known plans stay while the folder is away.
    expect(engine.snapshot().plans).toHaveLength(1);

    writeFiles(root, speckitFeature([true, true, true]));
    const back = await rec.waitFor('project:state', (e) => e.payload.to === 'ok', { afterSeq: missing.seq });
    expect(back.payload.from).toBe('missing');
    expect(engine.snapshot().plans[0]).toMatchObject({ status: 'done', progress: { done: 3, total: 3 } });
    expect(engine.projects()[0]?.watch.backend).toBe('native');

    // And it is watched again.
    writeFileSync(join(root, TASKS), speckitFeature([false, false, false])[TASKS] as string);
    await rec.waitFor('item:status', (e) => e.payload.to === 'todo');
  });

  test('a root missing across a stop and start of the engine is still picked up when it returns', async () => {
    const { root, engine, rec } = await start(speckitFeature());
    rmSync(root, { recursive: true, force: true });
    const missing = await rec.waitFor('project:state', (e) => e.payload.to === 'missing');
    await engine.setRunning(false);
    await engine.setRunning(true);
    writeFiles(root, speckitFeature([true, true, true]));
    await rec.waitFor('project:state', (e) => e.payload.to === 'ok', { afterSeq: missing.seq });
    expect(engine.snapshot().plans[0]?.status).toBe('done');
  });

  test('a .planning/ folder created at the root later is picked up', async () => {
    const { root, engine, rec } = await start(speckitFeature());
    expect(engine.projects()[0]?.sources).toEqual(['speckit']);
    writeFiles(root, {
      '.planning/ROADMAP.md': '# Roadmap\n\n## Phases\n\n- [ ] **Phase 1: Setup** - scaffolding\n',
      '.planning/phases/01-setup/01-01-PLAN.md': [
        '---',
        'phase: 01-setup',
        'plan: 01',
        'type: execute',
        'wave: 1',
        'depends_on: []',
        'autonomous: true',
        '---',
        '',
        '<tasks>',
        '<task type="auto">',
        '  <name>Task 1: Create the package</name>',
        '</task>',
        '</tasks>',
        '',
      ].join('\n'),
    });
    const added = await rec.waitFor('plan:added', (e) => e.payload.plan.source === 'gsd' && e.payload.plan.kind === 'plan');
    expect(added.payload.plan.status).toBe('todo');
    await waitUntil(() => engine.projects()[0]?.sources.includes('gsd') ?? false, 5000, 'gsd to be listed as a source');

    // Files inside the new folder are watched from then on.
    writeFiles(root, { '.planning/phases/01-setup/01-01-SUMMARY.md': '# Summary\n\nDone.\n' });
    const done = await rec.waitFor('item:status', (e) => e.payload.id === added.payload.plan.id && e.payload.to === 'done');
    expect(done.payload.from).toBe('todo');
  });

  test('polling (network drives) sees a ticked checkbox and a feature folder created later', async () => {
    const { root, engine, rec } = await start(speckitFeature(), { usePolling: true, pollIntervalMs: 50 });
    expect(engine.projects()[0]?.watch.backend).toBe('polling');
    writeFileSync(join(root, TASKS), speckitFeature([true, false, false])[TASKS] as string);
    const status = await rec.waitFor('item:status');
    expect(status.payload).toMatchObject({ from: 'todo', to: 'in_progress' });

    writeFiles(root, { 'specs/002-search/tasks.md': '- [ ] T001 Index the documents\n', 'specs/002-search/spec.md': '# Search\n' });
    const added = await rec.waitFor('plan:added', (e) => e.payload.plan.path.startsWith('specs/002-search/'));
    expect(added.payload.plan.source).toBe('speckit');
  });

  test('only the convention folders are watched, not the rest of the repository', async () => {
    const big: Record<string, string> = { ...speckitFeature() };
    for (let i = 0; i < 50; i++) big[`src/module${i}/index.ts`] = `export const x${i} = ${i};\n`;
    big['node_modules/dep/specs/001-x/tasks.md'] = '- [ ] T001 not ours\n';
    const { engine } = await start(big);
    const project = engine.projects()[0];
    // root + specs + specs/001-user-login: nothing under src/ or node_modules/.
    expect(project?.watch.watchedDirs).toBeLessThanOrEqual(4);
    expect(engine.snapshot().plans).toHaveLength(1);
  });

  test('the drift sweep repairs a change the watcher did not see, and counts it', async () => {
    // Polling once a minute: the watcher will not notice the edit within this test.
    const { root, engine, rec } = await start(speckitFeature(), { usePolling: true, pollIntervalMs: 60_000, heartbeatMs: 50 });
    const id = engine.projects()[0]?.id as string;
    writeFileSync(join(root, TASKS), speckitFeature([true, true, true])[TASKS] as string);
    await sleep(200);
    expect(rec.of('plan:updated')).toHaveLength(0);

    expect(await engine.sweepDrift()).toBe(1);
    const status = await rec.waitFor('item:status');
    expect(status.payload).toMatchObject({ from: 'todo', to: 'done' });
    expect(engine.driftRepairs(id)).toBe(1);
    // Health says so on the next tick.
    const health = await rec.waitFor('health:changed', (e) => e.payload.health.conditions.some((c) => c.key === `drift-repairs:${id}`));
    expect(health.payload.health.level).toBe('warning');

    // Nothing left to repair.
    expect(await engine.sweepDrift()).toBe(0);
    expect(engine.driftRepairs(id)).toBe(1);
  });

  test('a file over the size cap is an issue, not a crash', async () => {
    const { engine } = await start({ ...speckitFeature(), [TASKS]: `- [ ] T001 big\n${'x'.repeat(2048)}\n` }, { maxFileBytes: 1024 });
    const issues = engine.snapshot().issues;
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: TASKS });
    expect(issues[0]?.message).toMatch(/over the 1 KiB/);
  });

  test('pausing closes the watcher; resuming re-reads what changed meanwhile', async () => {
    const { root, engine, rec } = await start(speckitFeature());
    const id = engine.projects()[0]?.id as string;
    await engine.pauseProject(id, true);
    expect(engine.projects()[0]).toMatchObject({ state: 'paused', watch: { backend: 'none' } });
    writeFileSync(join(root, TASKS), speckitFeature([true, false, false])[TASKS] as string);
    await sleep(200);
    expect(rec.of('item:status')).toHaveLength(0);

    await engine.pauseProject(id, false);
    expect(engine.projects()[0]).toMatchObject({ state: 'ok', watch: { backend: 'native' } });
    await rec.waitFor('item:status');
    expect(rec.of('item:status')).toHaveLength(1);
    expect(engine.driftRepairs(id)).toBe(0);
  });

  test('stopping the engine stops watching and the heartbeat; starting again catches up', async () => {
    const { root, engine, rec } = await start(speckitFeature(), { heartbeatMs: 20 });
    await engine.setRunning(false);
    await rec.waitFor('engine:state', (e) => !e.payload.running);
    expect(engine.snapshot().running).toBe(false);
    const beats: number[] = [];
    const sub = engine.onHeartbeat((b) => beats.push(b.tick));
    writeFileSync(join(root, TASKS), speckitFeature([true, false, false])[TASKS] as string);
    await sleep(150);
    expect(beats).toHaveLength(0);
    expect(rec.of('item:status')).toHaveLength(0);

    await engine.setRunning(true);
    await rec.waitFor('item:status');
    await rec.waitFor('engine:state', (e) => e.payload.running);
    await waitUntil(() => beats.length > 0, 5000, 'a heartbeat after restart');
    sub.close();
  });

  test('projects can be added and removed while running', async () => {
    const { engine, rec } = await start(speckitFeature());
    const other = tempDir();
    cleanups.push(other.remove);
    writeFiles(other.path, { '.taskmaster/tasks/tasks.json': taskmasterTasks(['pending']) });
    const project = await engine.addProject(other.path);
    expect(project.sources).toEqual(['taskmaster']);
    await rec.waitFor('project:added', (e) => e.payload.project.id === project.id);
    await rec.waitFor('plan:added', (e) => e.payload.plan.projectId === project.id);
    expect(engine.projects()).toHaveLength(2);

    await engine.removeProject(project.id);
    await rec.waitFor('project:removed', (e) => e.payload.projectId === project.id);
    expect(engine.snapshot().plans.every((p) => p.projectId !== project.id)).toBe(true);
    await expect(engine.addProject(join(other.path, 'nope'))).rejects.toThrow(/does not exist/);
  });

  test('a log file is tailed through the watcher while subscribed', async () => {
    const log = 'coderef/workorder-log.txt';
    const { root, engine } = await start({ [log]: 'WO-AUTH-SYSTEM-001 | app | Started auth | 2025-01-01T10:00:00Z\n' });
    const id = engine.projects()[0]?.id as string;
    const lines: string[] = [];
    const sub = await engine.subscribeLog(id, log, (msg) => lines.push(...msg.lines.map((l) => l.text)));
    expect(sub.backlog.lines.map((l) => l.text)).toEqual(['WO-AUTH-SYSTEM-001 | app | Started auth | 2025-01-01T10:00:00Z']);
    writeFileSync(join(root, log), 'WO-AUTH-SYSTEM-001 | app | Started auth | 2025-01-01T10:00:00Z\nWO-AUTH-SYSTEM-002 | app | Next | 2025-01-01T11:00:00Z\n');
    await waitUntil(() => lines.length > 0, 5000, 'the appended log line');
    expect(lines).toEqual(['WO-AUTH-SYSTEM-002 | app | Next | 2025-01-01T11:00:00Z']);
    sub.close();
    await expect(engine.subscribeLog(id, '../outside.log', () => undefined)).rejects.toThrow(/outside|climbs/);
  });
});

// Runs on a live engine: actions from the user's config and from trusted project files, items
// from the model, batches in the sprint runner's event order, retries, and the snapshot.
import { afterEach, describe, expect, test } from 'vitest';
import { waitUntil } from '../engine/live-helpers';
import { runsWorld, type RunsWorld } from './runs-world';

let world: RunsWorld;

afterEach(async () => {
  await world?.close();
});

const ok = (agent: string[]) => ({ id: 'ok', argv: [...agent, 'lines', '2', '10', '0'] });

describe('which actions may run', () => {
  test("a project's actions file runs nothing until trusted, and nothing again once it changes", async () => {
    world = await runsWorld();
    const spec = { id: 'project-test', label: 'Project test', argv: [...world.agent, 'lines', '1', '1', '0'] };
    world.writeProjectActions([spec]);

    const before = await world.runs.actions({ projectId: world.projectId });
    expect(before.projectFile).toMatchObject({ state: 'untrusted', count: 1 });
    expect(before.actions.map((a) => a.id)).not.toContain('project-test');
    await expect(world.runs.start({ projectId: world.projectId, action: 'project-test' }, 'test')).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/not trusted yet/),
    });

    await world.runs.trustProjectActions(world.root);
    const trusted = await world.runs.actions({ projectId: world.projectId });
    expect(trusted.projectFile?.state).toBe('trusted');
    expect(trusted.actions.find((a) => a.id === 'project-test')).toMatchObject({ origin: 'project', label: 'Project test' });
    const run = await world.runs.start({ projectId: world.projectId, action: 'project-test' }, 'test');
    await world.recorder.waitFor('run:succeeded', (e) => e.payload.run.id === run.id);

    // One byte more in the file, and it is a different file.
    world.writeProjectActions([{ ...spec, argv: [...spec.argv, 'x'] }]);
    const changed = await world.runs.actions({ projectId: world.projectId });
    expect(changed.projectFile?.state).toBe('changed');
    expect(changed.actions.map((a) => a.id)).not.toContain('project-test');
    await expect(world.runs.start({ projectId: world.projectId, action: 'project-test' }, 'test')).rejects.toThrow(/changed since it was trusted/);
  });

  test('a trust written by another process (the CLI) counts at once', async () => {
    world = await runsWorld();
    world.writeProjectActions([{ id: 'from-file', argv: [...world.agent, 'lines', '1', '1', '0'] }]);
    const { ConfigStore } = await import('../../../main/engine/config');
    const { trustProjectActions } = await import('../../../main/runs/runs');
    const other = new ConfigStore(world.configDir);
    await trustProjectActions(other, world.root, Date.now());
    expect((await world.runs.actions({ projectId: world.projectId })).projectFile?.state).toBe('trusted');
  });

  test('an unknown action is refused, naming the ones there are', async () => {
    world = await runsWorld();
    await world.addActions(ok(world.agent));
    await expect(world.runs.start({ projectId: world.projectId, action: 'deploy' }, 'test')).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringMatching(/No action "deploy".*its actions are ok/),
    });
  });

  test('an action offered on items applies only to the items it names; the project gets the ones that need no item', async () => {
    world = await runsWorld();
    await world.addActions(
      { id: 'task-only', argv: [...world.agent, 'argv', '{item.id}'], appliesTo: [{ source: 'taskmaster', kind: 'task' }] },
      { id: 'gsd-only', argv: [...world.agent, 'argv', '{item.id}'], appliesTo: [{ source: 'gsd' }] },
      ok(world.agent),
    );
    const forItem = await world.runs.actions({ projectId: world.projectId, itemId: 'taskmaster:master:1' });
    expect(forItem.actions.map((a) => a.id)).toEqual(['task-only']);
    const forProject = await world.runs.actions({ projectId: world.projectId });
    expect(forProject.actions.map((a) => a.id)).toEqual(['ok']);
    await expect(world.runs.start({ projectId: world.projectId, action: 'gsd-only', itemId: 'taskmaster:master:1' }, 'test')).rejects.toThrow(/does not apply/);
    await expect(world.runs.start({ projectId: world.projectId, action: 'task-only', itemId: 'taskmaster:master:99' }, 'test')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('runs on items', () => {
  test('a run names its item, shows in the snapshot while it runs, and a retry is its next attempt', async () => {
    world = await runsWorld();
    await world.addActions({ id: 'fails', argv: [...world.agent, 'fail-on', '{item.id}', '{item.id}', '300'], appliesTo: [{ source: 'taskmaster' }] });
    const run = await world.runs.start({ projectId: world.projectId, action: 'fails', itemId: 'taskmaster:master:2' }, 'laptop');
    expect(run).toMatchObject({ itemId: 'taskmaster:master:2', itemTitle: 'Price rules', startedBy: 'laptop', attempt: 1 });
    await waitUntil(() => world.engine.snapshot().runs?.some((r) => r.id === run.id && r.state === 'running') ?? false, 10_000, 'the run in the snapshot');
    await world.recorder.waitFor('run:failed', (e) => e.payload.run.id === run.id);
    expect(world.engine.snapshot().runs).toEqual([]);

    const retry = await world.runs.retry(run.id, 'desktop');
    expect(retry).toMatchObject({ attempt: 2, retryOf: run.id, startedBy: 'desktop', itemId: 'taskmaster:master:2' });
    await world.recorder.waitFor('run:failed', (e) => e.payload.run.id === retry.id);
    const listed = await world.runs.list({ projectId: world.projectId, itemId: 'taskmaster:master:2' });
    expect(listed.map((r) => r.id)).toEqual([retry.id, run.id]);
  });
});

describe('batches', () => {
  const batchTypes = ['batch:start', 'batch:end', 'cycle:start', 'cycle:end', 'command:start', 'command:end'];

  async function batchWorld() {
    world = await runsWorld();
    // The runs of the first cycle wait for each other: both running at once is shown, not timed.
    await world.addActions({ id: 'work', argv: [...world.agent, 'together', `${world.root}/../together`, '2', '{item.id}', 'taskmaster:master:2'], appliesTo: [{ source: 'taskmaster' }] });
  }

  function sequence(batchId: string): string[] {
    return world.recorder.events
      .filter((e) => batchTypes.includes(e.type) && (e.payload as { batch_id?: string | null }).batch_id === batchId)
      .map((e) => {
        const p = e.payload as Record<string, unknown>;
        if (e.type === 'cycle:start') return `cycle:start ${p.cycle_number} [${(p.story_keys as string[]).join(',')}]`;
        if (e.type === 'cycle:end') return `cycle:end ${p.cycle_number} [${(p.completed_stories as string[]).join(',')}]`;
        if (e.type === 'command:start') return `command:start ${p.story_key}`;
        if (e.type === 'command:end') return `command:end ${p.story_key} ${p.status}`;
        if (e.type === 'batch:end') return `batch:end ${p.status}`;
        return e.type;
      });
  }

  /**
   * Within a cycle, which of two commands starts or ends first depends on the machine; the
   * families' order does not. Starts are checked to come before ends separately.
   */
  function normalized(lines: string[]): string[] {
    const out: string[] = [];
    let group: string[] = [];
    const flush = (): void => {
      out.push(...group.filter((l) => l.startsWith('command:start')).sort(), ...group.filter((l) => l.startsWith('command:end')).sort());
      group = [];
    };
    for (const line of lines) {
      if (line.startsWith('command:')) {
        group.push(line);
        continue;
      }
      flush();
      out.push(line);
    }
    flush();
    return out;
  }

  test('4 items, 2 at a time, one fails: every item runs and the batch ends failed', async () => {
    await batchWorld();
    const batch = await world.runs.startBatch({ projectId: world.projectId, action: 'work', items: { next: 4 }, concurrency: 2, stopOnFailure: false }, 'test');
    expect(batch.items).toEqual(['taskmaster:master:1', 'taskmaster:master:2', 'taskmaster:master:3', 'taskmaster:master:4']);
    const end = await world.recorder.waitFor('batch:end', (e) => e.payload.batch_id === batch.id, { timeoutMs: 20_000 });
    expect(end.payload).toMatchObject({ status: 'failed', cycles_completed: 2 });
    expect(end.payload.batch.done).toEqual({ succeeded: 3, failed: 1, cancelled: 0, skipped: 0 });
    const lines = sequence(batch.id);
    // Both commands of a cycle start before either ends (each waits for the other to run).
    expect(lines.indexOf('command:start taskmaster:master:2')).toBeLessThan(lines.indexOf('command:end taskmaster:master:1 succeeded'));
    expect(normalized(lines)).toEqual([
      'batch:start',
      'cycle:start 1 [taskmaster:master:1,taskmaster:master:2]',
      'command:start taskmaster:master:1',
      'command:start taskmaster:master:2',
      'command:end taskmaster:master:1 succeeded',
      'command:end taskmaster:master:2 failed',
      'cycle:end 1 [taskmaster:master:1]',
      'cycle:start 2 [taskmaster:master:3,taskmaster:master:4]',
      'command:start taskmaster:master:3',
      'command:start taskmaster:master:4',
      'command:end taskmaster:master:3 succeeded',
      'command:end taskmaster:master:4 succeeded',
      'cycle:end 2 [taskmaster:master:3,taskmaster:master:4]',
      'batch:end failed',
    ]);
  });

  test('with stopOnFailure, the cycle with the failure is the last', async () => {
    await batchWorld();
    const batch = await world.runs.startBatch(
      { projectId: world.projectId, action: 'work', items: ['taskmaster:master:1', 'taskmaster:master:2', 'taskmaster:master:3', 'taskmaster:master:4'], concurrency: 2, stopOnFailure: true },
      'test',
    );
    const end = await world.recorder.waitFor('batch:end', (e) => e.payload.batch_id === batch.id, { timeoutMs: 20_000 });
    expect(end.payload).toMatchObject({ status: 'failed', cycles_completed: 1 });
    expect(end.payload.batch.done).toEqual({ succeeded: 1, failed: 1, cancelled: 0, skipped: 2 });
    expect(normalized(sequence(batch.id))).toEqual([
      'batch:start',
      'cycle:start 1 [taskmaster:master:1,taskmaster:master:2]',
      'command:start taskmaster:master:1',
      'command:start taskmaster:master:2',
      'command:end taskmaster:master:1 succeeded',
      'command:end taskmaster:master:2 failed',
      'cycle:end 1 [taskmaster:master:1]',
      'batch:end failed',
    ]);
    expect(world.recorder.of('run:queued', (e) => e.payload.run.itemId === 'taskmaster:master:3')).toHaveLength(0);
  });

  test('runs of a batch go two at a time even though the project allows one', async () => {
    world = await runsWorld();
    await world.addActions({ id: 'hang', argv: [...world.agent, 'hang'], appliesTo: [{ source: 'taskmaster' }] });
    const batch = await world.runs.startBatch({ projectId: world.projectId, action: 'hang', items: { next: 4 }, concurrency: 2, stopOnFailure: false }, 'test');
    await waitUntil(() => world.runs.supervisor.activeRuns().filter((r) => r.state === 'running').length === 2, 10_000, 'two runs at once');
    expect(world.engine.snapshot().batches?.map((b) => b.id)).toEqual([batch.id]);
    const stopped = world.runs.stopBatch(batch.id, 'tester');
    expect(stopped.state).toBe('stopping');
    const end = await world.recorder.waitFor('batch:end', (e) => e.payload.batch_id === batch.id, { timeoutMs: 20_000 });
    expect(end.payload.status).toBe('stopped');
    expect(end.payload.batch.done).toEqual({ succeeded: 0, failed: 0, cancelled: 2, skipped: 2 });
    expect(world.engine.snapshot().batches).toEqual([]);
  });
});

describe('runs as agent sessions', () => {
  test('a run is an agent session with its runId: working while it runs, its progress as its message, ended with its outcome', async () => {
    world = await runsWorld();
    await world.addActions(
      { id: 'claude-like', argv: [...world.agent, 'stream-json', '0'], appliesTo: [{ source: 'taskmaster' }] },
      { id: 'hang', argv: [...world.agent, 'hang'] },
    );
    const run = await world.runs.start({ projectId: world.projectId, action: 'claude-like', itemId: 'taskmaster:master:2' }, 'test');
    const started = await world.recorder.waitFor('agent:started', (e) => e.payload.session.runId === run.id);
    expect(started.payload.session).toMatchObject({ id: `claude-like:${run.id}`, agent: 'claude-like', projectId: world.projectId, itemId: 'taskmaster:master:2', state: 'working' });
    const ended = await world.recorder.waitFor('agent:ended', (e) => e.payload.session.runId === run.id);
    expect(ended.payload.session.message).toBe('The run succeeded.');
    // The run's events came first: a client sees the run end, then its session.
    const runEnd = world.recorder.of('run:succeeded').find((e) => e.payload.run.id === run.id)!;
    expect(runEnd.seq).toBeLessThan(ended.seq);
    // Its progress was what the session said while it worked.
    const said = world.recorder.of('agent:updated').filter((e) => e.payload.session.runId === run.id).map((e) => e.payload.session.message);
    expect(said).toContain('Reading the plan');
    expect(world.engine.agents.list().find((s) => s.runId === run.id)?.state).toBe('ended');

    // A cancelled run's session ends too; one cancelled while queued never had a session.
    const hang = await world.runs.start({ projectId: world.projectId, action: 'hang' }, 'test');
    await world.recorder.waitFor('agent:started', (e) => e.payload.session.runId === hang.id);
    const queued = await world.runs.start({ projectId: world.projectId, action: 'hang' }, 'test');
    expect(queued.state).toBe('queued');
    world.runs.cancel(queued.id, 'test');
    world.runs.cancel(hang.id, 'test');
    const cancelled = await world.recorder.waitFor('agent:ended', (e) => e.payload.session.runId === hang.id);
    expect(cancelled.payload.session.message).toMatch(/cancel/i);
    expect(world.engine.agents.list().some((s) => s.runId === queued.id)).toBe(false);
  });
});

describe('run notifications', () => {
  test('a real run that finishes and one that fails become desktop notices through the notification rules', async () => {
    const { createNotifier } = await import('../../../main/desktop/notifier');
    const { DEFAULT_SETTINGS } = await import('../../../shared/settings');
    world = await runsWorld();
    await world.addActions(ok(world.agent), { id: 'bad', label: 'Breaks', argv: [...world.agent, 'lines', '1', '1', '3'] });
    const shown: { title: string; body: string; kind: string }[] = [];
    let rules = DEFAULT_SETTINGS.notifications;
    const notifier = createNotifier({ rules: () => rules, projectName: () => 'shop', show: (n) => shown.push(n), initialHealth: null });
    const sink = world.engine.hub.addSink({ deliver: (batch) => notifier.handle(batch), overflow: () => undefined });
    try {
      const good = await world.runs.start({ projectId: world.projectId, action: 'ok' }, 'test');
      await world.recorder.waitFor('run:succeeded', (e) => e.payload.run.id === good.id);
      const bad = await world.runs.start({ projectId: world.projectId, action: 'bad' }, 'test');
      await world.recorder.waitFor('run:failed', (e) => e.payload.run.id === bad.id);
      const ofRuns = () => shown.filter((n) => n.title.startsWith('Run '));
      await waitUntil(() => ofRuns().length >= 2, 5000, 'two notices');
      expect(ofRuns().map((n) => [n.kind, n.title])).toEqual([
        ['done', 'Run finished: ok'],
        ['failed', 'Run failed: Breaks'],
      ]);
      expect(ofRuns()[1]!.body).toMatch(/^shop · .*3/);

      // Failures turned off in Settings: the next failed run is not shown (the notifier is
      // handed each batch with the recorder, so by the time the recorder has it, so has it).
      rules = { ...rules, onFailed: false };
      const again = await world.runs.start({ projectId: world.projectId, action: 'bad' }, 'test');
      await world.recorder.waitFor('run:failed', (e) => e.payload.run.id === again.id);
      expect(ofRuns()).toHaveLength(2);
    } finally {
      sink.close();
      notifier.close();
    }
  });
});

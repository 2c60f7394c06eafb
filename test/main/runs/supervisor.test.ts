// The run supervisor with real child processes: the fake agent prints, sleeps, fails, ignores
// SIGTERM and leaves grandchildren behind, and the supervisor must see all of it.
import { readFileSync, statSync } from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { RUN_COMPLETE_PATTERN } from '../../../main/runs/run-log';
import { waitUntil } from '../engine/live-helpers';
import { alive, supervisorWorld, type SupervisorWorld } from './harness';

let world: SupervisorWorld;

afterEach(async () => {
  await world?.close();
});

const logLines = (path: string): string[] => readFileSync(path, 'utf8').trimEnd().split('\n');

describe('one run', () => {
  test('a run that prints and exits 0: queued → started → succeeded, every line in its log, then the sentinel', async () => {
    world = supervisorWorld();
    const run = world.supervisor.enqueue(world.request({ argv: [...world.agent, 'lines', '5', '20', '0'] }));
    const done = await world.recorder.waitFor('run:succeeded', (e) => e.payload.run.id === run.id);
    const types = world.recorder.events.filter((e) => 'run' in e.payload || 'task_id' in e.payload).map((e) => e.type);
    expect(types).toEqual(['run:queued', 'run:started', 'command:start', 'run:succeeded', 'command:end']);
    expect(done.payload.run).toMatchObject({ state: 'succeeded', exitCode: 0, attempt: 1, startedBy: 'test' });
    expect(done.payload.run.startedAt).not.toBeNull();
    expect(done.payload.run.endedAt).toBeGreaterThanOrEqual(done.payload.run.startedAt as number);

    const lines = logLines(run.logPath);
    const agentLines = lines.filter((l) => / line \d$/.test(l));
    expect(agentLines).toHaveLength(5);
    // Vigil's stamp, then the agent's own text (which has a stamp of its own).
    for (const line of agentLines) expect(line).toMatch(/^\[\d\d:\d\d:\d\d\] \[\d\d:\d\d:\d\d\] line \d$/);
    const last = lines.at(-1) as string;
    expect(last).toMatch(RUN_COMPLETE_PATTERN);
    expect(last).toContain('exit=0');
    expect(statSync(run.logPath).mode & 0o777).toBe(0o600);
  });

  test('a run that exits 3 fails with that exit code, and the sentinel says so', async () => {
    world = supervisorWorld();
    const run = world.supervisor.enqueue(world.request({ argv: [...world.agent, 'lines', '1', '1', '3'] }));
    const failed = await world.recorder.waitFor('run:failed', (e) => e.payload.run.id === run.id);
    expect(failed.payload.run).toMatchObject({ state: 'failed', exitCode: 3, willRetry: false });
    expect(failed.payload.run.reason).toContain('code 3');
    expect(logLines(run.logPath).at(-1)).toMatch(/^=== Run Complete === exit=3 duration=\d+$/);
    const end = world.recorder.of('command:end', (e) => e.payload.task_id === run.id)[0];
    expect(end?.payload).toMatchObject({ status: 'failed', command: 'fake', story_key: null });
    expect(end?.payload.metrics.duration_ms).toBeGreaterThanOrEqual(0);
  });

  test('a program that does not exist fails with 127 and says what to install', async () => {
    world = supervisorWorld();
    const run = world.supervisor.enqueue(world.request({ argv: ['vigil-no-such-agent-xyz', 'go'] }));
    const failed = await world.recorder.waitFor('run:failed', (e) => e.payload.run.id === run.id);
    expect(failed.payload.run.exitCode).toBe(127);
    expect(failed.payload.run.reason).toMatch(/vigil-no-such-agent-xyz was not found/);
  });

  test('cancel stops the agent and the grandchild it started', async () => {
    world = supervisorWorld();
    const pidFile = `${world.root}/grandchild.pid`;
    const run = world.supervisor.enqueue(world.request({ argv: [...world.agent, 'grandchild', pidFile] }));
    await waitUntil(() => {
      try {
        return readFileSync(pidFile, 'utf8').length > 0;
      } catch {
        return false;
      }
    }, 10_000, 'the grandchild to start');
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(grandchild)).toBe(true);
    world.supervisor.cancel(run.id, 'tester');
    const cancelled = await world.recorder.waitFor('run:cancelled', (e) => e.payload.run.id === run.id);
    expect(cancelled.payload.run.reason).toContain('tester');
    expect(cancelled.payload.run.exitCode).toBe(143);
    await waitUntil(() => !alive(grandchild), 5000, 'the grandchild to be gone');
    expect(logLines(run.logPath).at(-1)).toMatch(/exit=143/);
  });

  test('an agent that ignores SIGTERM is killed after the grace period', async () => {
    world = supervisorWorld({ killGraceMs: 300 });
    const run = world.supervisor.enqueue(world.request({ argv: [...world.agent, 'ignore-term'] }));
    await waitUntil(() => world.supervisor.get(run.id)?.lastOutputAt != null, 10_000, 'the agent to be ready');
    world.supervisor.cancel(run.id, 'tester');
    const cancelled = await world.recorder.waitFor('run:cancelled', (e) => e.payload.run.id === run.id);
    expect(cancelled.payload.run.exitCode).toBe(137);
    const log = readFileSync(run.logPath, 'utf8');
    expect(log).toContain('ignoring SIGTERM');
    expect(log).toContain('sending SIGKILL');
  });

  test('a run past its timeout is stopped and fails', async () => {
    world = supervisorWorld();
    const run = world.supervisor.enqueue(world.request({ argv: [...world.agent, 'hang'], timeoutMs: 1000 }));
    const failed = await world.recorder.waitFor('run:failed', (e) => e.payload.run.id === run.id);
    expect(failed.payload.run.reason).toBe('Timed out after 1000 ms.');
    expect(failed.payload.run.exitCode).toBe(143);
  });
});

describe('what a run is given', () => {
  test('a placeholder holding "; rm -rf" stays one argument', async () => {
    world = supervisorWorld();
    const title = 'Login"; rm -rf ~; echo "$(whoami)';
    const run = world.supervisor.enqueue(
      world.request({ argv: [...world.agent, 'argv', '{item.title}', 'plan at {item.path}', '{item.number}'] }, { item: { id: 'gsd:plan:02-01', path: '.planning/x.md', title } }),
    );
    await world.recorder.waitFor('run:succeeded', (e) => e.payload.run.id === run.id);
    const printed = logLines(run.logPath)
      .filter((l) => /^\[\d\d:\d\d:\d\d\] "/.test(l))
      .map((l) => JSON.parse(l.slice(11)) as string);
    expect(printed).toEqual([title, 'plan at .planning/x.md', '02-01']);
  });

  test("Vigil's own variables are not passed on; the run's identity is", async () => {
    world = supervisorWorld({ env: { ...process.env, VIGIL_TOKEN: 'vigil_secret', VIGIL_CONTROL_SECRET: 'x', HOME_OF_TEST: 'kept' } });
    const run = world.supervisor.enqueue(world.request({ argv: [...world.agent, 'env', 'VIGIL_TOKEN', 'VIGIL_CONTROL_SECRET', 'HOME_OF_TEST', 'VIGIL_RUN_ID', 'EXTRA'], env: { EXTRA: 'from-action' } }));
    await world.recorder.waitFor('run:succeeded', (e) => e.payload.run.id === run.id);
    const log = readFileSync(run.logPath, 'utf8');
    expect(log).toContain('VIGIL_TOKEN=<unset>');
    expect(log).toContain('VIGIL_CONTROL_SECRET=<unset>');
    expect(log).toContain('HOME_OF_TEST=kept');
    expect(log).toContain(`VIGIL_RUN_ID=${run.id}`);
    expect(log).toContain('EXTRA=from-action');
    expect(log).not.toContain('vigil_secret');
  });

  test('an action whose argv needs an item is refused without one', () => {
    world = supervisorWorld();
    expect(() => world.supervisor.enqueue(world.request({ argv: [...world.agent, 'argv', '{item.path}'] }))).toThrow(/run it on an item/);
  });

  test('stream-json progress becomes command:progress, and the final usage the run\'s tokens and cost', async () => {
    world = supervisorWorld();
    const run = world.supervisor.enqueue(world.request({ argv: [...world.agent, 'stream-json', '0'] }));
    const done = await world.recorder.waitFor('run:succeeded', (e) => e.payload.run.id === run.id);
    expect(world.recorder.of('command:progress', (e) => e.payload.task_id === run.id).map((e) => e.payload.message)).toEqual([
      'Session started (claude-test)',
      'Reading the plan',
      'Edit src/cart.ts',
      'Done: Cart built',
    ]);
    expect(done.payload.run.tokens).toEqual({ input: 1200, output: 340, cacheRead: 5000, cacheCreation: 100 });
    expect(done.payload.run.costUsd).toBeCloseTo(0.0421);
    const end = world.recorder.of('command:end', (e) => e.payload.task_id === run.id)[0];
    expect(end?.payload.metrics.tokens).toBe(6640);
  });
});

describe('the queue', () => {
  test('runs beyond the limits wait in FIFO order with their positions, and start as others end', async () => {
    world = supervisorWorld({ limits: { global: 2, perProject: 1 } });
    const hang = { argv: [...world.agent, 'hang'] };
    const a1 = world.supervisor.enqueue(world.request(hang, { projectId: 'a' }));
    const a2 = world.supervisor.enqueue(world.request(hang, { projectId: 'a' }));
    const b1 = world.supervisor.enqueue(world.request(hang, { projectId: 'b' }));
    const b2 = world.supervisor.enqueue(world.request(hang, { projectId: 'b' }));
    // a1 and b1 run; a2 waits for its project, b2 for its project too.
    const states = () => [a1, a2, b1, b2].map((r) => world.supervisor.get(r.id)?.state);
    await waitUntil(() => states().join() === 'running,queued,running,queued', 10_000, 'a1 and b1 to run');
    expect(world.supervisor.get(a2.id)?.position).toBe(1);
    expect(world.supervisor.get(b2.id)?.position).toBe(2);
    expect(world.supervisor.queueLength()).toBe(2);

    world.supervisor.cancel(a1.id, 'tester');
    await waitUntil(() => world.supervisor.get(a2.id)?.state === 'running', 10_000, 'a2 to start after a1');
    expect(world.supervisor.get(b2.id)).toMatchObject({ state: 'queued', position: 1 });
    const moved = world.recorder.of('run:position', (e) => e.payload.positions.some((p) => p.runId === b2.id && p.position === 1));
    expect(moved).toHaveLength(1);

    // A queued run is cancelled at once, without ever starting.
    world.supervisor.cancel(b2.id, 'tester');
    const cancelled = await world.recorder.waitFor('run:cancelled', (e) => e.payload.run.id === b2.id);
    expect(cancelled.payload.run).toMatchObject({ startedAt: null, exitCode: null });
    expect(world.recorder.of('run:started', (e) => e.payload.run.id === b2.id)).toHaveLength(0);
  });

  test('a failed run with retries left is started again as the next attempt, linked to it', async () => {
    world = supervisorWorld();
    const marker = `${world.root}/failed-once`;
    const first = world.supervisor.enqueue(world.request({ argv: [...world.agent, 'fail-once', marker], retries: 1 }));
    const failed = await world.recorder.waitFor('run:failed', (e) => e.payload.run.id === first.id);
    expect(failed.payload.run.willRetry).toBe(true);
    const second = await world.recorder.waitFor('run:succeeded');
    expect(second.payload.run).toMatchObject({ attempt: 2, retryOf: first.id, state: 'succeeded' });
  });
});

describe('a flood of runs', () => {
  test('past the queue cap a run is refused with what to do; the queue keeps what it had', async () => {
    const { MAX_QUEUED_RUNS } = await import('../../../main/runs/supervisor');
    world = supervisorWorld({ limits: { global: 1, perProject: 1 } });
    const hang = world.request({ argv: [...world.agent, 'hang'] });
    world.supervisor.enqueue(hang);
    for (let i = 0; i < MAX_QUEUED_RUNS; i++) world.supervisor.enqueue(hang);
    expect(world.supervisor.queueLength()).toBe(MAX_QUEUED_RUNS);
    expect(() => world.supervisor.enqueue(hang)).toThrow(/already waiting/);
    expect(world.supervisor.queueLength()).toBe(MAX_QUEUED_RUNS);
  });
});

// Runs that were queued or running when Vigil died: on the next start the journal names them,
// and the supervisor checks each process rather than assuming anything about it.
import { spawn } from 'node:child_process';
import { afterEach, expect, test } from 'vitest';
import type { Run } from '../../../shared/model';
import { MemoryRunJournal } from '../../../main/runs/journal';
import { processStartTime } from '../../../main/runs/process-group';
import { waitUntil } from '../engine/live-helpers';
import { alive, supervisorWorld, type SupervisorWorld } from './harness';

let world: SupervisorWorld;
const strays: number[] = [];

afterEach(async () => {
  for (const pid of strays.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  await world?.close();
});

function staleRun(id: string, state: Run['state'], pid: number | null, pidStartTime: string | null = null): Run {
  return {
    id,
    projectId: 'p1',
    action: 'fake',
    actionLabel: 'Fake',
    actionOrigin: 'user',
    itemId: null,
    itemTitle: null,
    state,
    position: state === 'queued' ? 1 : null,
    attempt: 1,
    retryOf: null,
    batchId: null,
    startedBy: 'test',
    queuedAt: Date.now() - 5000,
    startedAt: state === 'running' ? Date.now() - 4000 : null,
    endedAt: null,
    exitCode: null,
    willRetry: false,
    reason: null,
    tokens: null,
    costUsd: null,
    lastMessage: null,
    lastOutputAt: null,
    pid,
    pidStartTime,
    cwd: null,
    branch: null,
    logPath: `/nonexistent/${id}.log`,
  };
}

/** A process in its own group, as a run's leader is, that exits at once; resolves with its pid once it is gone. */
function deadPid(): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', ''], { detached: true, stdio: 'ignore' });
    child.once('exit', () => resolve(child.pid as number));
  });
}

test('after a crash, a run whose processes are gone and a run that was queued are marked lost', async () => {
  const journal = new MemoryRunJournal();
  const gone = await deadPid();
  journal.save(staleRun('r_gone', 'running', gone, '1'));
  journal.save(staleRun('r_waiting', 'queued', null));
  world = supervisorWorld({ journal });
  await world.supervisor.recover();
  const lost = world.recorder.of('run:lost').map((e) => e.payload.run);
  expect(lost.map((r) => r.id).sort()).toEqual(['r_gone', 'r_waiting']);
  expect(lost.find((r) => r.id === 'r_gone')?.reason).toMatch(/processes are gone/);
  expect(lost.find((r) => r.id === 'r_waiting')?.reason).toMatch(/never started/);
  expect(await journal.unfinished()).toEqual([]);
  expect((await journal.get('r_gone'))?.state).toBe('lost');
});

test('after a crash, a run still alive is watched until it ends, and only then marked lost', async () => {
  const journal = new MemoryRunJournal();
  const agent = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { detached: true, stdio: 'ignore' });
  const pid = agent.pid as number;
  strays.push(pid);
  await waitUntil(async () => (await processStartTime(pid)) !== null || process.platform !== 'linux', 5000, 'the process to show up');
  journal.save(staleRun('r_alive', 'running', pid, await processStartTime(pid)));
  world = supervisorWorld({ journal });
  await world.supervisor.recover();
  expect(world.supervisor.get('r_alive')?.state).toBe('running');
  expect(world.recorder.of('run:lost')).toHaveLength(0);

  process.kill(-pid, 'SIGKILL');
  const lost = await world.recorder.waitFor('run:lost', (e) => e.payload.run.id === 'r_alive');
  expect(lost.payload.run.reason).toMatch(/has ended since/);
  expect(alive(pid)).toBe(false);
});

test('a pid now used by an unrelated process is not taken for the run', async () => {
  if (process.platform !== 'linux') return;
  const journal = new MemoryRunJournal();
  // A live group leader whose start time is not the one the journal recorded for the run.
  const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { detached: true, stdio: 'ignore' });
  strays.push(other.pid as number);
  await waitUntil(async () => (await processStartTime(other.pid as number)) !== null, 5000, 'the process to show up');
  journal.save(staleRun('r_reused', 'running', other.pid as number, '1'));
  world = supervisorWorld({ journal });
  await world.supervisor.recover();
  expect((await journal.get('r_reused'))?.state).toBe('lost');
  expect(alive(other.pid as number)).toBe(true);
});

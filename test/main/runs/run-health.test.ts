// Health from runs: pure inputs in, conditions out.
import { expect, test } from 'vitest';
import type { Run } from '../../../shared/model';
import { RunHealth } from '../../../main/runs/run-health';

const MIN = 60_000;

function run(over: Partial<Run>): Run {
  return {
    id: 'r1', projectId: 'p1', action: 'claude-code', actionLabel: 'Claude Code', actionOrigin: 'preset', itemId: 'gsd:plan:01-01', itemTitle: 'Login',
    state: 'running', position: null, attempt: 1, retryOf: null, batchId: null, startedBy: 'desktop', queuedAt: 0, startedAt: 0, endedAt: null,
    exitCode: null, willRetry: false, reason: null, tokens: null, costUsd: null, lastMessage: null, lastOutputAt: null, pid: 1, pidStartTime: null,
    cwd: '/p', branch: null, logPath: '/c/runs/r1.log', ...over,
  };
}

test('a running run with no output for the stuck threshold is a warning, and output clears it', () => {
  const health = new RunHealth({ stuckMinutes: () => 5 });
  const quiet = run({ startedAt: 0, lastOutputAt: 1 * MIN });
  expect(health.evaluate({ now: 5 * MIN, active: [quiet], recent: [], queueLength: 0 }).conditions).toEqual([]);
  const stuck = health.evaluate({ now: 6 * MIN, active: [quiet], recent: [], queueLength: 0 }).conditions;
  expect(stuck).toHaveLength(1);
  expect(stuck[0]).toMatchObject({ key: 'run-stuck:r1', level: 'warning', projectId: 'p1' });
  expect(stuck[0]?.message).toBe('Run "Claude Code" on "Login" is still running but has printed nothing for over 5 minutes.');
  const spoke = run({ lastOutputAt: 5.5 * MIN });
  expect(health.evaluate({ now: 6 * MIN, active: [spoke], recent: [], queueLength: 0 }).conditions).toEqual([]);
  // A queued run has not started, so it cannot be stuck.
  expect(health.evaluate({ now: 60 * MIN, active: [run({ state: 'queued', startedAt: null })], recent: [], queueLength: 1 }).conditions).toEqual([]);
});

test('a queue that grew at each of three samples is a warning; one that did not grow is not', () => {
  const health = new RunHealth({ sampleEveryMs: MIN });
  const at = (minute: number, queueLength: number) => health.evaluate({ now: minute * MIN, active: [], recent: [], queueLength }).conditions;
  expect(at(0, 1)).toEqual([]);
  expect(at(1, 2)).toEqual([]);
  // Between samples nothing is sampled.
  expect(at(1.5, 9)).toEqual([]);
  const growing = at(2, 3);
  expect(growing.map((c) => c.key)).toEqual(['run-queue-growing']);
  expect(growing[0]?.message).toContain('(1 → 2 → 3)');
  expect(at(3, 3)).toEqual([]);
});

test('failed and lost runs of the last hour count as failures; cancelled runs do not count at all', () => {
  const health = new RunHealth();
  const now = 120 * MIN;
  const recent = [
    run({ id: 'a', state: 'failed', endedAt: now - MIN }),
    run({ id: 'b', state: 'lost', endedAt: now - 2 * MIN }),
    run({ id: 'c', state: 'succeeded', endedAt: now - 3 * MIN }),
    run({ id: 'd', state: 'cancelled', endedAt: now - 3 * MIN }),
    run({ id: 'e', state: 'failed', endedAt: now - 61 * MIN }),
  ];
  expect(health.evaluate({ now, active: [], recent, queueLength: 0 })).toMatchObject({ failed: 2, finished: 3 });
});

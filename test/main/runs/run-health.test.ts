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
  expect(health.evaluate({ now: 5 * MIN, active: [quiet], queueLength: 0 })).toEqual([]);
  const stuck = health.evaluate({ now: 6 * MIN, active: [quiet], queueLength: 0 });
  expect(stuck).toHaveLength(1);
  expect(stuck[0]).toMatchObject({ key: 'run-stuck:r1', level: 'warning', projectId: 'p1' });
  expect(stuck[0]?.message).toBe('Run "Claude Code" on "Login" is still running but has printed nothing for over 5 minutes.');
  const spoke = run({ lastOutputAt: 5.5 * MIN });
  expect(health.evaluate({ now: 6 * MIN, active: [spoke], queueLength: 0 })).toEqual([]);
  // A queued run has not started, so it cannot be stuck.
  expect(health.evaluate({ now: 60 * MIN, active: [run({ state: 'queued', startedAt: null })], queueLength: 1 })).toEqual([]);
});

test('a queue that grew at each of three samples is a warning; one that did not grow is not', () => {
  const health = new RunHealth({ sampleEveryMs: MIN });
  const at = (minute: number, queueLength: number) => health.evaluate({ now: minute * MIN, active: [], queueLength });
  expect(at(0, 1)).toEqual([]);
  expect(at(1, 2)).toEqual([]);
  // Between samples nothing is sampled.
  expect(at(1.5, 9)).toEqual([]);
  const growing = at(2, 3);
  expect(growing.map((c) => c.key)).toEqual(['run-queue-growing']);
  expect(growing[0]?.message).toContain('(1 → 2 → 3)');
  // Where to raise the limit, for the desktop and for a browser on `vigil serve` alike.
  expect(growing[0]?.hint).toContain('Settings → Actions in the desktop app, or `runs.maxConcurrent` in settings.json');
  expect(at(3, 3)).toEqual([]);
});

test('while nothing changes the same conditions array comes back, so the engine sees an unchanged health', () => {
  const health = new RunHealth({ stuckMinutes: () => 5 });
  const quiet = run({ startedAt: 0, lastOutputAt: 0 });
  const first = health.evaluate({ now: 6 * MIN, active: [quiet], queueLength: 0 });
  expect(first).toHaveLength(1);
  expect(health.evaluate({ now: 7 * MIN, active: [quiet], queueLength: 0 })).toBe(first);
  expect(health.evaluate({ now: 7 * MIN, active: [], queueLength: 0 })).toEqual([]);
});

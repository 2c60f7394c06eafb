// What the views derive from runs: groups for the Runs tab, an item's runs, running items, and
// a run log's outcome from its sentinel.
import { expect, test } from 'vitest';
import type { Run } from '../../shared/model';
import { activeRunByItem, activeRunsOf, formatCost, groupRuns, logOutcome, runsOfItem } from '../../renderer/store/runs';

function run(id: string, over: Partial<Run> = {}): Run {
  return {
    id, projectId: 'p1', action: 'a', actionLabel: 'A', actionOrigin: 'user', itemId: 'x', itemTitle: 'X', state: 'succeeded', position: null,
    attempt: 1, retryOf: null, batchId: null, startedBy: 'desktop', queuedAt: 1, startedAt: 2, endedAt: 3, exitCode: 0, willRetry: false,
    reason: null, tokens: null, costUsd: null, lastMessage: null, lastOutputAt: null, pid: null, pidStartTime: null, cwd: null, branch: null,
    logPath: '/l', ...over,
  };
}

test('the Runs tab groups running, queued (in queue order) and recent (newest first), filtered by project and outcome', () => {
  const runs = Object.fromEntries(
    [
      run('r1', { state: 'running', startedAt: 5 }),
      run('q2', { state: 'queued', position: 2 }),
      run('q1', { state: 'queued', position: 1 }),
      run('old', { state: 'failed', endedAt: 10 }),
      run('new', { state: 'succeeded', endedAt: 20 }),
      run('other', { projectId: 'p2', state: 'failed', endedAt: 30 }),
    ].map((r) => [r.id, r]),
  );
  const all = groupRuns(runs, { projectId: null, outcomes: [] });
  expect(all.running.map((r) => r.id)).toEqual(['r1']);
  expect(all.queued.map((r) => r.id)).toEqual(['q1', 'q2']);
  expect(all.recent.map((r) => r.id)).toEqual(['other', 'new', 'old']);
  expect(groupRuns(runs, { projectId: 'p1', outcomes: ['failed'] }).recent.map((r) => r.id)).toEqual(['old']);
});

test("an item's runs, and which items have one going", () => {
  const runs = { a: run('a', { queuedAt: 1 }), b: run('b', { queuedAt: 2, state: 'queued' }), c: run('c', { itemId: 'y', state: 'running' }), d: run('d', { itemId: 'y', state: 'queued' }) };
  expect(runsOfItem(runs, 'p1', 'x').map((r) => r.id)).toEqual(['b', 'a']);
  const going = activeRunByItem(runs);
  expect(going.get('p1/x')?.id).toBe('b');
  expect(going.get('p1/y')?.id).toBe('c');
});

test('which items have a run going is worked out once per runs table, and again when the table is replaced', () => {
  const runs = { a: run('a', { state: 'running' }) };
  const first = activeRunsOf(runs);
  expect(first.get('p1/x')?.id).toBe('a');
  expect(activeRunsOf(runs)).toBe(first);
  const after = { ...runs, a: run('a', { state: 'succeeded' }), b: run('b', { itemId: 'y', state: 'queued' }) };
  expect(activeRunsOf(after).has('p1/x')).toBe(false);
  expect(activeRunsOf(after).get('p1/y')?.id).toBe('b');
});

test('the sentinel tells how a run log ended; cost reads as a person says it', () => {
  expect(logOutcome([{ n: 1, text: '[10:00:00] hi' }])).toBeNull();
  expect(logOutcome([{ n: 1, text: 'x' }, { n: 2, text: '=== Run Complete === exit=3 duration=1200' }])).toEqual({ exitCode: 3, durationMs: 1200 });
  expect(formatCost(run('t', { tokens: { input: 1000, output: 200, cacheRead: 5000, cacheCreation: 0 }, costUsd: 0.0421 }))).toBe('6.2k tokens · $0.042');
  expect(formatCost(run('t'))).toBeNull();
});

// Runs and batches in the renderer's live model: applied from events, kept across a hello,
// merged with a history list without an older copy winning.
import { expect, test } from 'vitest';
import type { Batch, Run } from '../../shared/model';
import type { EngineEvent } from '../../shared/protocol';
import { applyEvents, applyHello, emptyModel, mergeRuns } from '../../renderer/store/live-model';
import { hello } from './fixtures';

function run(id: string, over: Partial<Run> = {}): Run {
  return {
    id, projectId: 'p1', action: 'claude-code', actionLabel: 'Claude Code', actionOrigin: 'preset', itemId: 'gsd:plan:01', itemTitle: 'Login',
    state: 'queued', position: 1, attempt: 1, retryOf: null, batchId: null, startedBy: 'desktop', queuedAt: 1, startedAt: null, endedAt: null,
    exitCode: null, willRetry: false, reason: null, tokens: null, costUsd: null, lastMessage: null, lastOutputAt: null, pid: null, pidStartTime: null,
    cwd: null, branch: null, logPath: `/c/runs/${id}.log`, ...over,
  };
}

const ev = (seq: number, type: string, payload: unknown): EngineEvent => ({ seq, ts: 1000 + seq, type, payload }) as EngineEvent;

test('run events move a run through its states; progress and positions update it', () => {
  let state = applyHello(emptyModel(), hello(0));
  const r = run('r_1');
  state = applyEvents(state, [
    ev(1, 'run:queued', { run: r }),
    ev(2, 'run:position', { projectId: 'p1', positions: [{ runId: 'r_1', position: 2 }] }),
    ev(3, 'run:started', { run: { ...r, state: 'running', position: null, startedAt: 5 } }),
    ev(4, 'command:progress', { projectId: 'p1', batch_id: null, story_key: 'gsd:plan:01', command: 'claude-code', task_id: 'r_1', message: 'Edit src/a.ts' }),
  ]).state;
  expect(state.runs.r_1).toMatchObject({ state: 'running', startedAt: 5, lastMessage: 'Edit src/a.ts' });
  state = applyEvents(state, [ev(5, 'run:succeeded', { run: { ...r, state: 'succeeded', exitCode: 0, endedAt: 9 } })]).state;
  expect(state.runs.r_1).toMatchObject({ state: 'succeeded', exitCode: 0 });
});

test('a hello replaces the active runs and keeps the ended ones we saw', () => {
  let state = applyHello(emptyModel(), hello(0));
  state = applyEvents(state, [ev(1, 'run:failed', { run: run('r_old', { state: 'failed', endedAt: 3 }) }), ev(2, 'run:started', { run: run('r_gone', { state: 'running' }) })]).state;
  state = applyHello(state, hello(10, { runs: [run('r_new', { state: 'running' })] }));
  expect(Object.keys(state.runs).sort()).toEqual(['r_new', 'r_old']);
});

test('a history list adds runs but never overwrites a live copy', () => {
  let state = applyHello(emptyModel(), hello(0, { runs: [run('r_live', { state: 'running' })] }));
  state = mergeRuns(state, [run('r_live', { state: 'queued' }), run('r_hist', { state: 'succeeded', endedAt: 2 })]);
  expect(state.runs.r_live?.state).toBe('running');
  expect(state.runs.r_hist?.state).toBe('succeeded');
});

test('a batch follows its cycles and command ends until it ends', () => {
  const batch: Batch = {
    id: 'b_1', projectId: 'p1', action: 'work', items: ['a', 'b', 'c'], concurrency: 2, stopOnFailure: false, state: 'running', cycle: 0, cycles: 2,
    done: { succeeded: 0, failed: 0, cancelled: 0, skipped: 0 }, startedBy: 'desktop', startedAt: 1, endedAt: null,
  };
  const cmd = (story: string, status: string) => ({ projectId: 'p1', batch_id: 'b_1', story_key: story, command: 'work', task_id: `r_${story}`, status, metrics: { duration_ms: 1, tokens: null } });
  let state = applyHello(emptyModel(), hello(0));
  state = applyEvents(state, [
    ev(1, 'batch:start', { projectId: 'p1', batch_id: 'b_1', batch, max_cycles: 2 }),
    ev(2, 'cycle:start', { projectId: 'p1', batch_id: 'b_1', cycle_number: 1, story_keys: ['a', 'b'] }),
    ev(3, 'command:end', cmd('a', 'succeeded')),
    ev(4, 'command:end', cmd('b', 'failed')),
  ]).state;
  expect(state.batches.b_1).toMatchObject({ cycle: 1, done: { succeeded: 1, failed: 1, cancelled: 0, skipped: 0 } });
  const ended = { ...batch, state: 'failed', cycle: 2, endedAt: 9, done: { succeeded: 2, failed: 1, cancelled: 0, skipped: 0 } };
  state = applyEvents(state, [ev(5, 'batch:end', { projectId: 'p1', batch_id: 'b_1', batch: ended, cycles_completed: 2, status: 'failed' })]).state;
  expect(state.batches.b_1).toMatchObject({ state: 'failed', endedAt: 9 });
});

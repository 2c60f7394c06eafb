// Notifications for runs go through the same rules as item notifications: a finished
// run is "done", a failed or lost one "failed"; a failure that will be retried waits for its retry.
import { expect, test } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import type { Run } from '../../../shared/model';
import type { EngineEvent } from '../../../shared/protocol';
import { applyRules, noticesFromEvents } from '../../../main/notify/rules';

const base: Run = {
  id: 'r_1', projectId: 'p1', action: 'claude-code', actionLabel: 'Claude Code', actionOrigin: 'preset', itemId: 'gsd:plan:02-01', itemTitle: 'Login form',
  state: 'succeeded', position: null, attempt: 1, retryOf: null, batchId: null, startedBy: 'desktop', queuedAt: 0, startedAt: 1000, endedAt: 64_000,
  exitCode: 0, willRetry: false, reason: null, tokens: null, costUsd: null, lastMessage: null, lastOutputAt: null, pid: null, pidStartTime: null,
  cwd: '/p', branch: null, logPath: '/c/runs/r_1.log',
};

let seq = 0;
const event = (type: 'run:succeeded' | 'run:failed' | 'run:lost', run: Partial<Run>): EngineEvent =>
  ({ seq: ++seq, ts: 0, type, payload: { run: { ...base, ...run } } }) as EngineEvent;

test('a run that finished or failed is a notice, shown or not by the user\'s rules', () => {
  const { notices } = noticesFromEvents(
    [event('run:succeeded', {}), event('run:failed', { state: 'failed', exitCode: 2, reason: 'It exited with code 2.', attempt: 2 })],
    null,
    () => 'shop',
  );
  expect(notices).toEqual([
    { kind: 'done', projectIds: ['p1'], title: 'Run finished: Claude Code: Login form', body: 'shop · finished in 1 min 3 s', target: { projectId: 'p1', kind: 'run', id: 'r_1' } },
    { kind: 'failed', projectIds: ['p1'], title: 'Run failed: Claude Code: Login form', body: 'shop · It exited with code 2. (attempt 2)', target: { projectId: 'p1', kind: 'run', id: 'r_1' } },
  ]);
  const rules = { ...DEFAULT_SETTINGS.notifications, onFailed: false };
  expect(applyRules(notices[1]!, rules, new Date())).toEqual({ show: false, reason: 'kind-off' });
  expect(applyRules(notices[0]!, rules, new Date())).toEqual({ show: true });
});

test('a failure that will be retried is not announced; a lost run is a failure', () => {
  const { notices } = noticesFromEvents([event('run:failed', { state: 'failed', willRetry: true }), event('run:lost', { state: 'lost', itemTitle: null })], null, () => 'shop');
  expect(notices.map((n) => [n.kind, n.title, n.body])).toEqual([['failed', 'Run failed: Claude Code', 'shop · was lost']]);
});

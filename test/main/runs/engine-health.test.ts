// Runs count in the engine's health: their conditions are one of its condition sources, and
// the runs that ended on their own count in its failure rate (a cancel does not).
import { afterEach, expect, test } from 'vitest';
import type { Run } from '../../../shared/model';
import type { DomainEvent } from '../../../shared/protocol';
import { createEngine, type Engine } from '../../../main/engine/engine';
import type { HealthConditionDraft } from '../../../main/engine/health';
import { Recorder } from '../engine/live-helpers';

let engine: Engine | null = null;

afterEach(async () => {
  await engine?.close();
  engine = null;
});

function ended(id: string, state: Run['state'], endedAt: number): DomainEvent {
  const run: Run = {
    id, projectId: 'p1', action: 'test', actionLabel: 'Tests', actionOrigin: 'user', itemId: null, itemTitle: null,
    state, position: null, attempt: 1, retryOf: null, batchId: null, startedBy: 'desktop', queuedAt: endedAt - 10, startedAt: endedAt - 5, endedAt,
    exitCode: state === 'succeeded' ? 0 : 1, willRetry: false, reason: null, tokens: null, costUsd: null, lastMessage: null, lastOutputAt: null, pid: null, pidStartTime: null,
    cwd: '/p', branch: null, logPath: `/c/runs/${id}.log`,
  };
  return { type: `run:${state}`, payload: { run } } as DomainEvent;
}

test("the runs' conditions reach health:changed through the engine's condition sources, and leave when they clear", async () => {
  engine = await createEngine({ heartbeatMs: 20, driftSweepMs: 0 });
  const recorder = new Recorder();
  engine.hub.addSink(recorder);
  const stuck: HealthConditionDraft = { key: 'run-stuck:r1', level: 'warning', projectId: null, message: 'Run "x" is stuck.', hint: null };
  let part: readonly HealthConditionDraft[] = [stuck];
  engine.addConditionSource(() => part);
  const bad = await recorder.waitFor('health:changed', (e) => e.payload.health.conditions.some((c) => c.key === 'run-stuck:r1'));
  expect(bad.payload.health.level).toBe('warning');
  part = [];
  const fine = await recorder.waitFor('health:changed', (e) => e.payload.health.level === 'ok', { afterSeq: bad.seq });
  expect(fine.payload.health.conditions).toEqual([]);
});

test('failed and lost runs count as failures in the failure rate; cancelled runs do not count at all', async () => {
  engine = await createEngine({ heartbeatMs: 20, driftSweepMs: 0 });
  const recorder = new Recorder();
  engine.hub.addSink(recorder);
  const now = Date.now();
  engine.publishEvents([ended('a', 'failed', now), ended('b', 'lost', now), ended('c', 'succeeded', now), ended('d', 'cancelled', now)]);
  const bad = await recorder.waitFor('health:changed', (e) => e.payload.health.conditions.some((c) => c.key === 'failure-rate'));
  expect(bad.payload.health.level).toBe('critical');
  expect(bad.payload.health.conditions.find((c) => c.key === 'failure-rate')?.message).toBe('2 of 3 items and runs that finished in the last hour failed.');
});

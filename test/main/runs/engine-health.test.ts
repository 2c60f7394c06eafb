// Runs count in the engine's health: their conditions show beside the engine's own, and
// their failures in the failure rate.
import { afterEach, expect, test } from 'vitest';
import { createEngine, type Engine } from '../../../main/engine/engine';
import type { HealthDraft } from '../../../main/engine/health';
import { Recorder } from '../engine/live-helpers';

let engine: Engine | null = null;

afterEach(async () => {
  await engine?.close();
  engine = null;
});

test("a health source's conditions and failures reach health:changed, and leave when it says so", async () => {
  engine = await createEngine({ heartbeatMs: 20, driftSweepMs: 0 });
  const recorder = new Recorder();
  engine.hub.addSink(recorder);
  const stuck: HealthDraft = { key: 'run-stuck:r1', level: 'warning', projectId: null, message: 'Run "x" is stuck.', hint: null };
  let part = { conditions: [stuck], failed: 3, finished: 4 };
  engine.addHealthSource({ health: () => part });
  const bad = await recorder.waitFor('health:changed', (e) => e.payload.health.conditions.length === 2);
  expect(bad.payload.health.level).toBe('critical');
  expect(bad.payload.health.conditions.map((c) => c.key)).toEqual(['failure-rate', 'run-stuck:r1']);
  expect(bad.payload.health.conditions[0]?.message).toBe('3 of 4 items and runs that finished in the last hour failed.');

  part = { conditions: [], failed: 0, finished: 4 };
  const fine = await recorder.waitFor('health:changed', (e) => e.payload.health.level === 'ok', { afterSeq: bad.seq });
  expect(fine.payload.health.conditions).toEqual([]);
});

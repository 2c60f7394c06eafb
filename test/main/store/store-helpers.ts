// Helpers for store tests: a project folder written by the test, and an engine with its
// history in a temp config folder that can be stopped and started again like Vigil itself.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createJournaledEngine, type EngineWithHistory } from '../../../main/store/journaled-engine';
import type { EngineOptions } from '../../../main/engine/engine';
import type { HistoryOptions } from '../../../main/store/history';
import { Recorder } from '../engine/live-helpers';

/** A Task Master project: one task per entry, with the status given. */
export function writeTaskmaster(root: string, tasks: { id: number; title: string; status: string }[]): void {
  mkdirSync(join(root, '.taskmaster', 'tasks'), { recursive: true });
  const doc = { master: { tasks: tasks.map((t) => ({ ...t, description: '', priority: 'medium', dependencies: [], subtasks: [] })) } };
  writeFileSync(join(root, '.taskmaster', 'tasks', 'tasks.json'), JSON.stringify(doc, null, 2));
}

export interface Running extends EngineWithHistory {
  rec: Recorder;
}

/** Start Vigil on `roots` with its config (and vigil.db) in `configDir`; records every event from the start. */
export async function startVigil(
  configDir: string,
  roots: string[],
  options: Partial<EngineOptions> & { history?: Omit<HistoryOptions, 'dir'> } = {},
): Promise<Running> {
  const rec = new Recorder();
  const running = await createJournaledEngine({
    roots,
    configDir,
    driftSweepMs: 0,
    heartbeatMs: 60_000,
    ...options,
    // The recorder joins as the engine attaches, so it sees the events found on start too.
    hub: { ...options.hub },
  });
  // Events published during this start went through the hub before this sink existed.
  const started = running.engine.hub.since(running.history.lastSeq) ?? [];
  if (started.length > 0) rec.deliver(started);
  running.engine.hub.addSink(rec);
  return { ...running, rec };
}

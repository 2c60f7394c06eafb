// The runs of a real engine: a Task Master project with four tasks in a temp folder, a config
// folder, the engine watching it, and `Runs` on top, with the fake agent as the only program.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActionSpec } from '../../../shared/runs';
import { ConfigStore } from '../../../main/engine/config';
import { createEngine, type Engine } from '../../../main/engine/engine';
import { MemoryRunJournal, type RunJournal } from '../../../main/runs/journal';
import { Runs, type RunsOptions } from '../../../main/runs/runs';
import { Recorder, tempDir } from '../engine/live-helpers';
import { writeFakeAgent } from './fake-agent';

export interface RunsWorld {
  root: string;
  configDir: string;
  agent: string[];
  config: ConfigStore;
  engine: Engine;
  runs: Runs;
  recorder: Recorder;
  projectId: string;
  journal: RunJournal;
  addActions(...specs: ActionSpec[]): Promise<void>;
  writeProjectActions(specs: ActionSpec[]): void;
  close(): Promise<void>;
}

export const TASKS = [
  { id: 1, title: 'Set up the cart', status: 'pending' },
  { id: 2, title: 'Price rules', status: 'pending' },
  { id: 3, title: 'Checkout form', status: 'pending' },
  { id: 4, title: 'Receipts', status: 'pending' },
  { id: 5, title: 'Shipped already', status: 'done' },
];

export async function runsWorld(options: Partial<Omit<RunsOptions, 'engine' | 'config' | 'journal'>> & { journal?: RunJournal } = {}): Promise<RunsWorld> {
  const base = tempDir('vigil-runs-engine-');
  const root = join(base.path, 'shop');
  const configDir = join(base.path, 'config');
  mkdirSync(join(root, '.taskmaster', 'tasks'), { recursive: true });
  writeFileSync(join(root, '.taskmaster', 'tasks', 'tasks.json'), JSON.stringify({ master: { tasks: TASKS.map((t) => ({ ...t, subtasks: [] })) } }));
  const agent = writeFakeAgent(base.path);
  const config = new ConfigStore(configDir);
  const engine = await createEngine({ config, roots: [root], heartbeatMs: 50, driftSweepMs: 0 });
  const recorder = new Recorder();
  const sink = engine.hub.addSink(recorder);
  const journal = options.journal ?? new MemoryRunJournal();
  const runs = await Runs.open({ engine, config, journal, supervisor: { killGraceMs: 500, drainMs: 500 }, ...options });
  const projectId = engine.projects()[0]!.id;
  return {
    root,
    configDir,
    agent,
    config,
    engine,
    runs,
    recorder,
    projectId,
    journal,
    async addActions(...specs) {
      await config.updateActions((c) => ({ ...c, actions: [...c.actions, ...specs] }));
    },
    writeProjectActions(specs) {
      mkdirSync(join(root, '.vigil'), { recursive: true });
      writeFileSync(join(root, '.vigil', 'actions.json'), JSON.stringify({ actions: specs }, null, 2));
    },
    async close() {
      await runs.close();
      sink.close();
      await engine.close();
      base.remove();
    },
  };
}

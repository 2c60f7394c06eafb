// A run supervisor on real temp folders: a project folder, a config folder for logs and
// worktrees, the fake agent, and a recorder of every event it publishes.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineEvent } from '../../../shared/protocol';
import type { ActionSpec } from '../../../shared/runs';
import type { PlaceholderItem } from '../../../main/runs/argv';
import { MemoryRunJournal, type RunJournal } from '../../../main/runs/journal';
import { RunSupervisor, type RunRequest, type SupervisorOptions } from '../../../main/runs/supervisor';
import { Recorder, tempDir } from '../engine/live-helpers';
import { writeFakeAgent } from './fake-agent';

export interface SupervisorWorld {
  root: string;
  configDir: string;
  agent: string[];
  recorder: Recorder;
  supervisor: RunSupervisor;
  journal: RunJournal;
  request(spec: Partial<ActionSpec> & { argv: string[] }, more?: Partial<RunRequest> & { item?: PlaceholderItem | null }): RunRequest;
  close(): Promise<void>;
}

let seq = 0;

export function supervisorWorld(options: Partial<SupervisorOptions> = {}): SupervisorWorld {
  const base = tempDir('vigil-runs-');
  const root = join(base.path, 'project');
  const configDir = join(base.path, 'config');
  mkdirSync(root);
  const agent = writeFakeAgent(base.path);
  const recorder = new Recorder();
  const journal = options.journal ?? new MemoryRunJournal();
  const publish = (events: Parameters<SupervisorOptions['publish']>[0]): void => {
    recorder.deliver(events.map((e) => ({ ...e, seq: ++seq, ts: Date.now() }) as EngineEvent));
  };
  const supervisor = new RunSupervisor({
    logDir: join(configDir, 'runs'),
    worktreesDir: join(configDir, 'worktrees'),
    journal,
    publish,
    killGraceMs: 500,
    drainMs: 500,
    adoptPollMs: 100,
    ...options,
  });
  return {
    root,
    configDir,
    agent,
    recorder,
    supervisor,
    journal,
    request(spec, more = {}) {
      return {
        projectId: 'p1',
        root,
        action: { spec: { id: 'fake', ...spec }, origin: 'user' },
        item: null,
        startedBy: 'test',
        ...more,
      };
    },
    async close() {
      await supervisor.close();
      base.remove();
    },
  };
}

/** Is a process with this pid alive? */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

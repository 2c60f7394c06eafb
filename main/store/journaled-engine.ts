// An engine with its history: what `vigil serve`, `vigil demo` and the desktop app run. The
// history opens first (the hub counts on from its seq), the engine attaches to it before it
// publishes anything, and closing closes the engine before the database it writes to.
import { createEngine, type Engine, type EngineOptions } from '../engine/engine';
import { DEFAULT_LIMITS, History, type HistoryOptions } from './history';

export interface EngineWithHistory {
  engine: Engine;
  history: History;
  /** Close the engine, then the history. */
  close(): Promise<void>;
}

export async function createJournaledEngine(
  options: EngineOptions & { configDir: string; history?: Omit<HistoryOptions, 'dir'> },
): Promise<EngineWithHistory> {
  const { configDir, history: historyOptions, ...engineOptions } = options;
  const history = History.open({
    dir: configDir,
    now: engineOptions.now,
    onError: engineOptions.onError,
    limits: () => engineOptions.config?.settings().history ?? DEFAULT_LIMITS,
    ...historyOptions,
  });
  let engine: Engine;
  try {
    engine = await createEngine({ ...engineOptions, history });
  } catch (err) {
    await history.close();
    throw err;
  }
  return {
    engine,
    history,
    async close() {
      await engine.close();
      await history.close();
    },
  };
}

// `startDemo`: a temporary workspace plus its simulated agent, and `close()` that stops the
// agent and deletes the folder. `vigil demo` and the server's `demo:start` request share it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineApi } from '../engine/api';
import { SimulatedAgent } from './agent';
import { seededRandom } from './random';
import { writeDemoWorkspace } from './workspace';

export interface DemoOptions {
  /** Where the temporary folder is made (default the OS temp dir). */
  parentDir?: string;
  /** Seed for the agent's choices (default: time-based). */
  seed?: number;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Start the agent at once (default true); tests step it by hand. */
  autoStart?: boolean;
  onStep?: (summary: string) => void;
  onError?: (err: unknown) => void;
  /**
   * Trust the demo projects' own actions files (the demo's agent) where runs are started, and
   * take the trust back when the demo goes. Without it, the demo's actions are listed untrusted.
   */
  actionsTrust?: { trust(root: string): Promise<unknown>; forget(root: string): Promise<unknown> };
}

export interface DemoHandle {
  /** The temporary workspace folder. */
  readonly root: string;
  /** One folder per convention, to register with the engine. */
  readonly projectRoots: string[];
  readonly agent: SimulatedAgent;
  /** Stop the agent and delete the workspace. Safe to call twice. */
  close(): Promise<void>;
}

export async function startDemo(options: DemoOptions = {}): Promise<DemoHandle> {
  const root = await mkdtemp(join(options.parentDir ?? tmpdir(), 'vigil-demo-'));
  const entries = await writeDemoWorkspace(root);
  const agent = new SimulatedAgent(entries, {
    random: seededRandom(options.seed ?? Date.now()),
    minDelayMs: options.minDelayMs,
    maxDelayMs: options.maxDelayMs,
    onStep: options.onStep,
    onError: options.onError,
  });
  if (options.autoStart !== false) agent.start();
  let closing: Promise<void> | null = null;
  return {
    root,
    projectRoots: entries.map((e) => e.root),
    agent,
    close() {
      closing ??= (async () => {
        await agent.stop();
        await rm(root, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}

/**
 * What a server passes as its `startDemo` option: the first call makes the demo and adds its
 * projects to the engine; later calls return the same projects. `close()` removes the projects
 * and deletes the workspace (call it before closing the engine).
 */
export function demoStarterFor(engine: Pick<EngineApi, 'addProject' | 'removeProject'>, options: DemoOptions = {}) {
  let started: Promise<{ demo: DemoHandle; projectIds: string[] }> | null = null;
  return {
    start: async (): Promise<{ projectIds: string[] }> => {
      started ??= (async () => {
        const demo = await startDemo(options);
        for (const root of demo.projectRoots) await options.actionsTrust?.trust(root);
        const projectIds: string[] = [];
        // Not saved in the config: the demo folder is gone after this run, and must not come back as missing projects.
        for (const root of demo.projectRoots) projectIds.push((await engine.addProject(root, { persist: false })).id);
        return { demo, projectIds };
      })();
      try {
        return { projectIds: (await started).projectIds };
      } catch (err) {
        started = null;
        throw err;
      }
    },
    async close(): Promise<void> {
      if (!started) return;
      const { demo, projectIds } = await started.catch(() => ({ demo: null, projectIds: [] as string[] }));
      for (const id of projectIds) await engine.removeProject(id).catch(() => undefined);
      for (const root of demo?.projectRoots ?? []) await options.actionsTrust?.forget(root).catch(() => undefined);
      await demo?.close();
    },
  };
}

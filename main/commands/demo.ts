// `vigil demo [--port N|0] [--host H] [--seed N] [--verbose]`: the first thing a newcomer runs.
// A temporary workspace with one project per planning convention and a simulated agent that
// keeps changing them, served like `vigil serve`. Ctrl-C (or the terminal closing) stops it and
// deletes the workspace. It prefers port 4317 so that a restarted demo answers the page still
// open from the last one, which can then say plainly that its link is no longer valid.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJournaledEngine } from '../store/journaled-engine';
import { startDemo } from '../demo/start-demo';
import { ListenError } from '../server/listen-error';
import { DEFAULT_HOST, DEFAULT_PORT, startServer } from '../server/server';
import { TokenStore } from '../server/tokens';
import { ConfigStore } from '../engine/config';
import { StoredRunJournal } from '../runs/run-table';
import { Runs, trustProjectActions } from '../runs/runs';
import { parseCommandArgs, usageError } from './args';
import { listenPreferring, parsePort } from './ports';
import { DEMO } from './specs';
import { untilStopSignal } from './stop-signal';

const say = (line: string): void => void process.stderr.write(`vigil demo: ${line}\n`);

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(DEMO, args);
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  const port = parsePort(values.port, DEFAULT_PORT);
  if (port === null) return usageError('demo', `--port must be a number from 0 to 65535, not ${JSON.stringify(values.port)}`);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isFinite(seed)) return usageError('demo', `--seed must be a number, not ${JSON.stringify(values.seed)}`);

  // From here on a stop signal (even one that arrives while starting) ends in the clean-up below.
  const stopped = untilStopSignal();

  // Tokens of their own, in a folder of their own: the demo never touches the user's config.
  const configDir = await mkdtemp(join(tmpdir(), 'vigil-demo-config-'));
  const demo = await startDemo({
    seed,
    onStep: values.verbose ? (summary) => say(summary) : undefined,
    onError: (err) => say(`the simulated agent failed a step: ${err instanceof Error ? err.message : String(err)}`),
  });
  const tokens = await TokenStore.open(configDir);
  // The demo keeps a history too (in its own folder, gone with it), so its charts have data.
  const { engine, history, close: closeEngine } = await createJournaledEngine({
    roots: demo.projectRoots,
    configDir,
    onError: (err) => say(err instanceof Error ? err.message : String(err)),
  });
  // The demo's own config: its projects' actions (the demo's agent) are trusted there, and nowhere else.
  const config = new ConfigStore(configDir);
  await config.load();
  for (const root of demo.projectRoots) await trustProjectActions(config, root, Date.now());
  const runsTrouble = (err: unknown): void => say(`runs: ${err instanceof Error ? err.message : String(err)}`);
  const runs = await Runs.open({ engine, config, journal: new StoredRunJournal(history, runsTrouble), onError: runsTrouble });
  const cleanUp = async (): Promise<void> => {
    await runs.close();
    await closeEngine();
    await tokens.close();
    await demo.close();
    await rm(configDir, { recursive: true, force: true });
  };

  let server;
  try {
    const listen = (at: number) =>
      startServer({
        engine,
        history,
        tokens,
        host: values.host ?? DEFAULT_HOST,
        port: at,
        // Already a demo: asking for one again just answers with its projects.
        startDemo: async () => ({ projectIds: engine.projects().map((p) => p.id) }),
        runs,
        log: say,
      });
    // The default port when free; an explicit --port is kept to, and fails clearly when taken.
    server = values.port === undefined ? await listenPreferring(port, listen) : await listen(port);
  } catch (err) {
    await cleanUp();
    if (err instanceof ListenError) {
      say(err.message);
      return 2;
    }
    throw err;
  }

  // A control token: this is a sandbox, so the newcomer may try pause, remove and add too.
  const { secret } = await tokens.create('control', 'vigil demo');
  say(`workspace ${demo.root} (${demo.projectRoots.length} projects, deleted when the demo stops)`);
  say('a simulated agent changes files there every second or two; press Ctrl-C to stop (closing the terminal stops it too)');
  process.stdout.write(`${server.urlWithToken(secret)}\n`);

  await stopped;
  say('stopping and deleting the workspace…');
  await server.close();
  await cleanUp();
  return 0;
}

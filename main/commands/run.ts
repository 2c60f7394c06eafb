// `vigil run <folder> <actionId> [--item ID] [--follow] [--config-dir D]`: run an action on a
// project (or one of its items). When a `vigil serve` is running for this config folder and
// watches the project, the run starts there (with a short-lived control token labelled "cli"),
// so every open dashboard sees it; otherwise it runs here, in an engine of its own, for as long
// as this command lives. With --follow the run's log is printed as it grows and the exit code
// is the run's. An unknown or untrusted action is one line on stderr and exit code 2.
import { realpath } from 'node:fs/promises';
import { io, type Socket } from 'socket.io-client';
import type { Run } from '../../shared/model';
import type { ClientRequests, EngineEvent, Hello, LogMessage, Reply, RequestResults, ServerEvents } from '../../shared/protocol';
import { ConfigStore } from '../engine/config';
import { createEngine } from '../engine/engine';
import { defaultConfigDir } from '../engine/config-dir';
import { RunError } from '../runs/run-error';
import { StoredRunJournal } from '../runs/run-table';
import { Runs } from '../runs/runs';
import { History } from '../store/history';
import { findRunningServe, type ServeRecord } from '../server/serve-record';
import { TokenStore } from '../server/tokens';
import { parseCommandArgs, usageError } from './args';
import { RUN } from './specs';

const say = (line: string): void => void process.stderr.write(`vigil run: ${line}\n`);

/** Who runs started from the command line are recorded as started by. */
export const CLI_STARTER = 'cli';

/** The exit code that reports a run's outcome. */
export function exitCodeOf(run: Pick<Run, 'state' | 'exitCode'>): number {
  if (run.state === 'succeeded') return 0;
  if (run.exitCode !== null) return Math.min(255, Math.max(1, run.exitCode));
  return run.state === 'cancelled' ? 130 : 1;
}

/** Prints a run's log lines once each, in order, whatever repeats a resubscribe brings. */
class LogPrinter {
  private lastN = 0;
  sawSentinel = false;

  print(msg: LogMessage): void {
    if (msg.reset) this.lastN = 0;
    for (const line of msg.lines) {
      if (line.n <= this.lastN) continue;
      this.lastN = line.n;
      process.stdout.write(`${line.text}\n`);
      if (line.text.startsWith('=== Run Complete === ')) this.sawSentinel = true;
    }
  }
}

const finished = (run: Run | null): boolean => run !== null && run.state !== 'queued' && run.state !== 'running';

function describeEnd(run: Run): string {
  const took = run.startedAt !== null && run.endedAt !== null ? ` in ${((run.endedAt - run.startedAt) / 1000).toFixed(1)} s` : '';
  const why = run.state === 'succeeded' ? '' : run.reason ? `: ${run.reason.replace(/\.$/, '')}` : '';
  return `run ${run.id} ${run.state}${run.exitCode !== null ? ` (exit ${run.exitCode})` : ''}${took}${why}; log: ${run.logPath}`;
}

/** A refused start: one line, and 2 when the request itself was wrong (unknown, untrusted, not applicable). */
function refused(code: string, message: string): number {
  say(message);
  return code === 'failed' || code === 'rate_limited' ? 1 : 2;
}

type ClientSocket = Socket<ServerEvents, ClientRequests>;

async function connect(serve: ServeRecord, secret: string): Promise<{ socket: ClientSocket; hello: Hello }> {
  // The server follows tokens.json and sees a new token within moments: a refusal right after
  // the token was made is tried again for a little while.
  const deadline = Date.now() + 5000;
  for (;;) {
    const socket: ClientSocket = io(serve.url, { auth: { token: secret }, transports: ['websocket'], reconnection: false, forceNew: true });
    try {
      const hello = await new Promise<Hello>((resolve, reject) => {
        socket.once('hello', resolve);
        socket.once('connect_error', reject);
      });
      return { socket, hello };
    } catch (err) {
      socket.disconnect();
      const unauthorized = (err as { data?: { code?: string } }).data?.code === 'unauthorized';
      if (!unauthorized || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Start (and maybe follow) the run in the running serve; null when that serve does not watch `root`. */
async function viaServe(serve: ServeRecord, configDir: string, root: string, action: string, itemId: string | undefined, follow: boolean): Promise<number | null> {
  const tokens = await TokenStore.open(configDir);
  const { token, secret } = await tokens.create('control', CLI_STARTER);
  let socket: ClientSocket | null = null;
  try {
    const connected = await connect(serve, secret);
    socket = connected.socket;
    const project = connected.hello.snapshot.projects.find((p) => p.root === root);
    if (!project) return null;
    const ask = <T>(event: string, payload: unknown): Promise<Reply<T>> =>
      (socket as unknown as { timeout(ms: number): { emitWithAck(e: string, p: unknown): Promise<Reply<T>> } }).timeout(15_000).emitWithAck(event, payload);

    const events: EngineEvent[] = [];
    const printer = new LogPrinter();
    socket.on('events', (batch) => events.push(...batch));
    const started = await ask<RequestResults['run:start']>('run:start', { projectId: project.id, action, ...(itemId ? { itemId } : {}) });
    if (!started.ok) return refused(started.error.code, started.error.message);
    const runId = started.data.run.id;
    if (!follow) {
      process.stdout.write(`${runId}\n`);
      say(`queued ${runId} in the running Vigil (pid ${serve.pid}); \`vigil runs --active\` lists it`);
      return 0;
    }
    socket.on('log', (msg) => {
      if (msg.runId === runId) printer.print(msg);
    });
    const subscribed = await ask<RequestResults['subscribe']>('subscribe', { projects: [project.id], logs: [{ runId }] });
    if (!subscribed.ok) return refused(subscribed.error.code, subscribed.error.message);

    let onInterrupt: () => void = () => undefined;
    const interrupted = new Promise<'interrupted'>((resolve) => {
      onInterrupt = () => resolve('interrupted');
      process.once('SIGINT', onInterrupt);
    });
    const ended = (async (): Promise<Run> => {
      for (;;) {
        const last = events.filter((e) => 'run' in e.payload && (e.payload as { run: Run }).run.id === runId).at(-1);
        const run = last ? (last.payload as { run: Run }).run : null;
        if (run && finished(run)) return run;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const outcome = await Promise.race([ended, interrupted]);
    process.off('SIGINT', onInterrupt);
    if (outcome === 'interrupted') {
      say(`stopped following; ${runId} goes on in the running Vigil (vigil runs --active)`);
      return 130;
    }
    // The sentinel ends the log of a run that ran; give its last lines a moment to arrive.
    const until = Date.now() + 5000;
    while (outcome.startedAt !== null && outcome.exitCode !== null && !printer.sawSentinel && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    say(describeEnd(outcome));
    return exitCodeOf(outcome);
  } finally {
    socket?.disconnect();
    await tokens.revoke(token.id).catch(() => undefined);
    await tokens.close();
  }
}

/** Run it in an engine of our own, for as long as this command lives. */
async function inProcess(configDir: string, root: string, action: string, itemId: string | undefined, follow: boolean): Promise<number> {
  const config = new ConfigStore(configDir);
  for (const warning of await config.load()) say(warning);
  // Only this folder is watched: the run needs its items, not every registered project.
  const engine = await createEngine({ roots: [root], driftSweepMs: 0, onError: (err) => say(err instanceof Error ? err.message : String(err)) });
  // The run is kept in the history database like any other, so `vigil runs` lists it later.
  const history = History.open({ dir: configDir, onError: (err) => say(err instanceof Error ? err.message : String(err)) });
  const trouble = (err: unknown): void => say(err instanceof Error ? err.message : String(err));
  let runs: Runs;
  try {
    runs = await Runs.open({ engine, config, journal: new StoredRunJournal(history, trouble), onError: trouble });
  } catch (err) {
    await engine.close();
    await history.close();
    throw err;
  }
  try {
    const projectId = engine.projects()[0]?.id as string;
    let run: Run;
    try {
      run = await runs.start({ projectId, action, ...(itemId ? { itemId } : {}) }, CLI_STARTER);
    } catch (err) {
      if (err instanceof RunError) return refused(err.code, err.message);
      throw err;
    }
    if (!follow) process.stdout.write(`${run.id}\n`);
    const printer = new LogPrinter();
    const subscription = follow ? await runs.subscribeLog(run.id, (msg) => printer.print(msg)) : null;
    if (subscription) printer.print(subscription.backlog);
    const cancel = (): void => {
      say('cancelling the run (Ctrl-C again to quit at once)');
      process.once('SIGINT', () => process.exit(130));
      try {
        runs.cancel(run.id, `${CLI_STARTER} (Ctrl-C)`);
      } catch {
        // It ended meanwhile.
      }
    };
    process.once('SIGINT', cancel);
    const ended = (await runs.supervisor.whenDone(run.id)) as Run;
    process.off('SIGINT', cancel);
    const until = Date.now() + 5000;
    while (follow && ended.startedAt !== null && ended.exitCode !== null && !printer.sawSentinel && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    subscription?.close();
    say(describeEnd(ended));
    return exitCodeOf(ended);
  } finally {
    await runs.close();
    await engine.close();
    await history.close();
  }
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(RUN, args);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [folder, action, ...extra] = positionals;
  if (!folder || !action) return usageError('run', 'give the project folder and the id of the action to run');
  if (extra.length > 0) return usageError('run', `one folder and one action, then options (got ${JSON.stringify(extra[0])} too)`);
  let root: string;
  try {
    root = await realpath(folder);
  } catch {
    say(`the folder ${folder} does not exist`);
    return 2;
  }
  const configDir = values['config-dir'] ?? defaultConfigDir();
  const follow = values.follow ?? false;
  const serve = await findRunningServe(configDir);
  if (serve) {
    try {
      const code = await viaServe(serve, configDir, root, action, values.item, follow);
      if (code !== null) return code;
      say(`the running Vigil (pid ${serve.pid}) does not watch ${root}; running it here instead`);
    } catch (err) {
      say(`could not reach the running Vigil at ${serve.url} (${err instanceof Error ? err.message : String(err)}); running it here instead`);
    }
  }
  return inProcess(configDir, root, action, values.item, follow);
}

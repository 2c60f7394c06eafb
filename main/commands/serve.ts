// `vigil serve [folder…]`: the engine and the web UI headless, for a CI runner, a VM where agents
// work, or a person who prefers the browser. stdout gets the URLs to open and nothing else
// (scripts read the first line: the read-only URL; with --control the second is the control
// URL); everything else goes to stderr.
import { ConfigStore } from '../engine/config';
import { demoStarterFor } from '../demo/start-demo';
import { openFileLimit, raiseLimitHint } from '../engine/descriptors';
import { defaultConfigDir } from '../engine/config-dir';
import { startEngineAlerts } from '../notify/alerts';
import { advertiseHooks, hookUrlFor } from '../server/hook-advert';
import { ListenError } from '../server/listen-error';
import { isLoopbackHost } from '../server/origin';
import { DEFAULT_HOST, DEFAULT_MAX_CLIENTS, DEFAULT_PORT, defaultPerTokenCap, startServer } from '../server/server';
import { TokenStore } from '../server/tokens';
import { loopbackUrl, removeServeRecord, writeServeRecord } from '../server/serve-record';
import { StoredRunJournal } from '../runs/run-table';
import { Runs, forgetProjectActionsTrust, trustProjectActions } from '../runs/runs';
import { createJournaledEngine } from '../store/journaled-engine';
import { parseCommandArgs, usageError } from './args';
import { folderProblem } from './folder-check';
import { listenPreferring, parsePort } from './ports';
import { SERVE } from './specs';
import { untilStopSignal } from './stop-signal';

const say = (line: string): void => void process.stderr.write(`vigil serve: ${line}\n`);

/** A whole number from 1 to 100,000 (a sanity bound, not a recommendation). */
function parseMaxClients(text: string | undefined): number | null {
  if (text === undefined) return DEFAULT_MAX_CLIENTS;
  if (!/^\d+$/.test(text)) return null;
  const count = Number(text);
  return count >= 1 && count <= 100_000 ? count : null;
}

export interface ServeSettings {
  folders: string[];
  host: string;
  port: number;
  maxClients: number;
  /** Most connections one token may hold. */
  maxPerToken: number;
  configDir: string;
  /** Print a control URL too (the local user's own link). */
  control: boolean;
  printToken: boolean;
  /** When `port` is taken, listen on a free one instead of failing (`vigil start`). */
  anyPortIfTaken?: boolean;
}

/** The command line as settings, or the exit code of a usage error already reported. */
export function serveSettings(args: string[]): ServeSettings | number {
  const parsed = parseCommandArgs(SERVE, args);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const port = parsePort(values.port, DEFAULT_PORT);
  if (port === null) return usageError('serve', `--port must be a number from 0 to 65535, not ${JSON.stringify(values.port)}`);
  const maxClients = parseMaxClients(values['max-clients']);
  if (maxClients === null) return usageError('serve', `--max-clients must be a whole number from 1 to 100000, not ${JSON.stringify(values['max-clients'])}`);
  const maxPerToken = values['max-per-token'] === undefined ? defaultPerTokenCap(maxClients) : parseMaxClients(values['max-per-token']);
  if (maxPerToken === null) return usageError('serve', `--max-per-token must be a whole number from 1 to 100000, not ${JSON.stringify(values['max-per-token'])}`);
  const host = values.host ?? DEFAULT_HOST;
  const control = values.control === true;
  if (control && !isLoopbackHost(host) && values['allow-remote-control'] !== true) {
    return usageError(
      'serve',
      `--control with --host ${host} would let anyone who gets the link change projects from the network; add --allow-remote-control if that is what you want`,
    );
  }
  return {
    folders: positionals,
    host,
    port,
    maxClients,
    maxPerToken,
    configDir: values['config-dir'] ?? defaultConfigDir(),
    control,
    printToken: values['no-token-print'] !== true,
  };
}

export interface ServeHooks {
  /** Called once the URLs are printed (main/serve-entry.ts writes the code cache after it). */
  listening?(): void;
}

export async function run(args: string[], hooks: ServeHooks = {}): Promise<number> {
  const settings = serveSettings(args);
  if (typeof settings === 'number') return settings;
  const stopped = untilStopSignal();
  const served = await startServing(settings, say);
  if (typeof served === 'number') return served;
  process.stdout.write(served.urls.map((url) => `${url}\n`).join(''));
  hooks.listening?.();
  if (served.urls.length > 1) say('the first link only watches (share it freely); the second may also add, pause and remove projects: keep it to yourself');
  await stopped;
  await served.close();
  return 0;
}

export interface Served {
  /** The read URL (or the bare URL with --no-token-print), then the control URL when asked for. */
  urls: string[];
  /** Stop the server, the demo if one was started, the engine and the token store. */
  close(): Promise<void>;
}

/** Everything serve opened, closed in reverse order whatever happens. */
class Resources {
  private readonly closers: (() => Promise<void> | void)[] = [];

  constructor(private readonly log: (line: string) => void) {}

  add(close: () => Promise<void> | void): void {
    this.closers.push(close);
  }

  async closeAll(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) {
      try {
        await close();
      } catch (err) {
        this.log(`while stopping: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}

/**
 * Start the engine and the server as `settings` say; `vigil start` falls back to this when the
 * desktop app cannot run. Every way start-up can fail ends here with one line saying what and
 * what to do, everything opened so far closed again, and the exit code returned (2 for a port
 * in use, 1 otherwise): a half-started server that listens without having printed its URL is
 * worse than none.
 */
export async function startServing(settings: ServeSettings, log: (line: string) => void): Promise<Served | number> {
  // A folder that is not there is watched anyway (it shows as missing until it appears), but
  // the person who mistyped it hears so now, in the words `vigil scan` uses.
  // All at once: three file-system calls per folder, one after another, were a queue of thread
  // pool round trips in front of everything else at 200 projects. Reported in the given order.
  const problems = await Promise.all(settings.folders.map((folder) => folderProblem(folder)));
  for (const problem of problems) if (problem) log(`${problem}; watching for it to appear`);
  const resources = new Resources(log);
  try {
    const config = new ConfigStore(settings.configDir, { watch: true, onWarning: log });
    resources.add(() => config.close());
    for (const warning of await config.load()) log(warning);
    const tokens = await TokenStore.open(settings.configDir, { watch: true });
    resources.add(() => tokens.close());
    if (tokens.warning) log(tokens.warning);
    tokens.onWarning(log);
    // Before listening: a token that cannot be stored is a failed start, not a server without a
    // URL. A first start creates them, and their durable write (a sync of tokens.json) goes on
    // while the engine loads the projects instead of in front of it.
    const secrets = (async () => ({
      read: settings.printToken ? (await tokens.defaultReadToken()).secret : null,
      control: settings.control ? (await tokens.defaultControlToken()).secret : null,
    }))();
    // Awaited below, after the engine: an error then is the start's, not an unhandled rejection now.
    secrets.catch(() => undefined);

    const { engine, history, close: closeEngine } = await createJournaledEngine({
      roots: settings.folders,
      config,
      configDir: settings.configDir,
      onError: (err) => log(err instanceof Error ? err.message : String(err)),
    });
    resources.add(() => closeEngine());
    const { read: readSecret, control: controlSecret } = await secrets;
    for (const condition of history.conditions()) log(condition.message);
    // ntfy, webhooks, Slack: the channels in the config folder get the alerts its rules let through.
    const alerts = startEngineAlerts(engine, config, log);
    resources.add(() => alerts.close());
    // Closed before the engine (resources close in reverse): running agents are stopped and their runs recorded.
    const runsTrouble = (err: unknown): void => log(`runs: ${err instanceof Error ? err.message : String(err)}`);
    const runs = await Runs.open({ engine, config, journal: new StoredRunJournal(history, runsTrouble), onError: runsTrouble });
    resources.add(() => runs.close());
    const demo = demoStarterFor(engine, {
      onError: (err) => log(`demo: ${err instanceof Error ? err.message : String(err)}`),
      actionsTrust: { trust: (root) => trustProjectActions(config, root, Date.now()), forget: (root) => forgetProjectActionsTrust(config, root) },
    });
    resources.add(() => demo.close());
    const listen = (port: number) =>
      startServer({
        engine,
        history,
        tokens,
        host: settings.host,
        port,
        maxClients: settings.maxClients,
        maxClientsPerToken: settings.maxPerToken,
        log,
        startDemo: demo.start,
        runs,
      });
    const server = settings.anyPortIfTaken ? await listenPreferring(settings.port, listen) : await listen(settings.port);
    resources.add(() => server.close());
    // So `vigil run` finds this engine and starts its runs here.
    await writeServeRecord(settings.configDir, { pid: process.pid, url: loopbackUrl(settings.host, server.port), startedAt: Date.now() }).catch((err: unknown) =>
      log(`could not note this server in ${settings.configDir} (vigil run will start its own engine): ${err instanceof Error ? err.message : String(err)}`),
    );
    resources.add(() => removeServeRecord(settings.configDir));
    // `vigil hook` finds this server through the config folder (closed first: no posts to a closing server).
    try {
      const hooks = await advertiseHooks(settings.configDir, tokens, hookUrlFor(settings.host, server.port));
      resources.add(() => hooks.close());
    } catch (err) {
      log(`agent hooks cannot reach this server: ${err instanceof Error ? err.message : String(err)} (writing to ${settings.configDir})`);
    }

    if (!isLoopbackHost(settings.host)) {
      log(`listening on ${settings.host}: other machines on your network can reach this server (a token is still required)`);
    }
    const urls = [readSecret === null ? server.url : server.urlWithToken(readSecret)];
    if (controlSecret !== null) urls.push(server.urlWithToken(controlSecret));
    return { urls, close: () => resources.closeAll() };
  } catch (err) {
    log(startupFailure(err, settings.configDir));
    await resources.closeAll();
    return err instanceof ListenError ? 2 : 1;
  }
}

/** One line for a failed start: the error's own sentence, which names the file, port or folder. */
function startupFailure(err: unknown, configDir: string): string {
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const line = message.split('\n')[0] ?? message;
  if (err instanceof ListenError) return line;
  if (code === 'EMFILE' || code === 'ENFILE') return `cannot start: too many open files. ${raiseLimitHint(openFileLimit())}`;
  if (code === 'EACCES' || code === 'EPERM') return `cannot start: ${line} (check the permissions of ${configDir})`;
  return `cannot start: ${line}`;
}

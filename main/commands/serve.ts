// `vigil serve [folder…] [--port N|0] [--host H] [--max-clients N] [--max-per-token N] [--no-token-print] [--config-dir D]`: the
// engine and the web UI headless, for a CI runner or a VM where agents work. stdout gets
// exactly one line, the URL to open (scripts read it); everything else goes to stderr.
import { ConfigStore } from '../engine/config';
import { demoStarterFor } from '../demo/start-demo';
import { createEngine } from '../engine/engine';
import { openFileLimit, raiseLimitHint } from '../engine/descriptors';
import { defaultConfigDir } from '../engine/json-file';
import { ListenError } from '../server/listen-error';
import { isLoopbackHost } from '../server/origin';
import { DEFAULT_HOST, DEFAULT_MAX_CLIENTS, DEFAULT_PORT, defaultPerTokenCap, startServer } from '../server/server';
import { TokenStore } from '../server/tokens';
import { loopbackUrl, removeServeRecord, writeServeRecord } from '../server/serve-record';
import { MemoryRunJournal } from '../runs/journal';
import { Runs, forgetProjectActionsTrust, trustProjectActions } from '../runs/runs';
import { parseCommandArgs } from './args';
import { untilStopSignal } from './stop-signal';

const USAGE = `Usage: vigil serve [folder…] [--port N|0] [--host H] [--max-clients N] [--max-per-token N] [--no-token-print] [--config-dir D]
  folder…           projects to watch besides the registered ones (not saved)
  --port N          port for the web UI and the API (default ${DEFAULT_PORT}; 0 picks a free one)
  --host H          address to listen on (default ${DEFAULT_HOST}; 0.0.0.0 lets the LAN in)
  --max-clients N   most connections at once (default ${DEFAULT_MAX_CLIENTS}); more are refused with server_full
  --max-per-token N most connections one token may hold (default a quarter of --max-clients); more are refused with token_limit
  --no-token-print  print the URL without its read token (get one with \`vigil token create\`)
  --config-dir D    where projects, settings and tokens live (default: VIGIL_CONFIG_DIR or ~/.config/vigil)
`;

const say = (line: string): void => void process.stderr.write(`vigil serve: ${line}\n`);

function parsePort(text: string | undefined): number | null {
  if (text === undefined) return DEFAULT_PORT;
  if (!/^\d+$/.test(text)) return null;
  const port = Number(text);
  return port <= 65535 ? port : null;
}

/** A whole number from 1 to 100,000 (a sanity bound, not a recommendation). */
function parseMaxClients(text: string | undefined): number | null {
  if (text === undefined) return DEFAULT_MAX_CLIENTS;
  if (!/^\d+$/.test(text)) return null;
  const count = Number(text);
  return count >= 1 && count <= 100_000 ? count : null;
}

/** Everything serve opened, closed in reverse order whatever happens. */
class Resources {
  private readonly closers: (() => Promise<void> | void)[] = [];

  add(close: () => Promise<void> | void): void {
    this.closers.push(close);
  }

  async closeAll(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) {
      try {
        await close();
      } catch (err) {
        say(`while stopping: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(
    'serve',
    args,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      'max-clients': { type: 'string' },
      'max-per-token': { type: 'string' },
      'no-token-print': { type: 'boolean' },
      'config-dir': { type: 'string' },
    },
    USAGE,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals: folders } = parsed;
  const port = parsePort(values.port);
  if (port === null) {
    say(`--port must be a number from 0 to 65535, not ${JSON.stringify(values.port)}`);
    return 2;
  }
  const maxClients = parseMaxClients(values['max-clients']);
  if (maxClients === null) {
    say(`--max-clients must be a whole number from 1 to 100000, not ${JSON.stringify(values['max-clients'])}`);
    return 2;
  }
  const perToken = values['max-per-token'] === undefined ? defaultPerTokenCap(maxClients) : parseMaxClients(values['max-per-token']);
  if (perToken === null) {
    say(`--max-per-token must be a whole number from 1 to 100000, not ${JSON.stringify(values['max-per-token'])}`);
    return 2;
  }
  const host = values.host ?? DEFAULT_HOST;
  const configDir = values['config-dir'] ?? defaultConfigDir();

  // Every way start-up can fail ends here: one line saying what and what to do, everything
  // opened so far closed again, and a non-zero exit (a half-started server that keeps
  // listening without having printed its URL is worse than none).
  const resources = new Resources();
  try {
    const config = new ConfigStore(configDir, { watch: true, onWarning: say });
    resources.add(() => config.close());
    for (const warning of await config.load()) say(warning);
    const tokens = await TokenStore.open(configDir, { watch: true });
    resources.add(() => tokens.close());
    if (tokens.warning) say(tokens.warning);
    tokens.onWarning(say);
    // Before listening: a token that cannot be stored is a failed start, not a server without a URL.
    const secret = values['no-token-print'] ? null : (await tokens.defaultReadToken()).secret;

    const engine = await createEngine({ roots: folders, config, onError: (err) => say(err instanceof Error ? err.message : String(err)) });
    resources.add(() => engine.close());
    // Closed before the engine (resources close in reverse): running agents are stopped and their runs recorded.
    const runs = await Runs.open({ engine, config, journal: new MemoryRunJournal(), onError: (err) => say(`runs: ${err instanceof Error ? err.message : String(err)}`) });
    resources.add(() => runs.close());
    const demo = demoStarterFor(engine, {
      onError: (err) => say(`demo: ${err instanceof Error ? err.message : String(err)}`),
      actionsTrust: { trust: (root) => trustProjectActions(config, root, Date.now()), forget: (root) => forgetProjectActionsTrust(config, root) },
    });
    resources.add(() => demo.close());
    const server = await startServer({ engine, tokens, host, port, maxClients, maxClientsPerToken: perToken, log: say, startDemo: demo.start, runs });
    resources.add(() => server.close());
    // So `vigil run` finds this engine and starts its runs here.
    await writeServeRecord(configDir, { pid: process.pid, url: loopbackUrl(host, server.port), startedAt: Date.now() }).catch((err: unknown) =>
      say(`could not note this server in ${configDir} (vigil run will start its own engine): ${err instanceof Error ? err.message : String(err)}`),
    );
    resources.add(() => removeServeRecord(configDir));

    const stopped = untilStopSignal();
    if (!isLoopbackHost(host)) {
      say(`listening on ${host}: other machines on your network can reach this server (a token is still required)`);
    }
    process.stdout.write(`${secret === null ? server.url : server.urlWithToken(secret)}\n`);
    await stopped;
    return 0;
  } catch (err) {
    say(startupFailure(err, configDir));
    return err instanceof ListenError ? 2 : 1;
  } finally {
    await resources.closeAll();
  }
}

/** One line for a failed start: the error's own sentence, which names the file, port or folder. */
function startupFailure(err: unknown, configDir: string): string {
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const line = message.split('\n')[0] ?? message;
  if (code === 'EMFILE' || code === 'ENFILE') return `cannot start: too many open files. ${raiseLimitHint(openFileLimit())}`;
  if (code === 'EACCES' || code === 'EPERM') return `cannot start: ${line} (check the permissions of ${configDir})`;
  return `cannot start: ${line}`;
}

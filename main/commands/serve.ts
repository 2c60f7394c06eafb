// `vigil serve [folder…] [--port N|0] [--host H] [--max-clients N] [--no-token-print] [--config-dir D]`: the
// engine and the web UI headless, for a CI runner or a VM where agents work. stdout gets
// exactly one line, the URL to open (scripts read it); everything else goes to stderr.
import { ConfigStore } from '../engine/config';
import { demoStarterFor } from '../demo/start-demo';
import { createEngine } from '../engine/engine';
import { defaultConfigDir } from '../engine/json-file';
import { ListenError } from '../server/listen-error';
import { isLoopbackHost } from '../server/origin';
import { DEFAULT_HOST, DEFAULT_MAX_CLIENTS, DEFAULT_PORT, startServer } from '../server/server';
import { TokenStore } from '../server/tokens';
import { loopbackUrl, removeServeRecord, writeServeRecord } from '../server/serve-record';
import { MemoryRunJournal } from '../runs/journal';
import { Runs, forgetProjectActionsTrust, trustProjectActions } from '../runs/runs';
import { parseCommandArgs } from './args';
import { untilStopSignal } from './stop-signal';

const USAGE = `Usage: vigil serve [folder…] [--port N|0] [--host H] [--max-clients N] [--no-token-print] [--config-dir D]
  folder…           projects to watch besides the registered ones (not saved)
  --port N          port for the web UI and the API (default ${DEFAULT_PORT}; 0 picks a free one)
  --host H          address to listen on (default ${DEFAULT_HOST}; 0.0.0.0 lets the LAN in)
  --max-clients N   most connections at once (default ${DEFAULT_MAX_CLIENTS}); more are refused with server_full
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

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(
    'serve',
    args,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      'max-clients': { type: 'string' },
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
  const host = values.host ?? DEFAULT_HOST;
  const configDir = values['config-dir'] ?? defaultConfigDir();

  const config = new ConfigStore(configDir);
  for (const warning of await config.load()) say(warning);
  const tokens = await TokenStore.open(configDir, { watch: true });
  if (tokens.warning) say(tokens.warning);

  const engine = await createEngine({ roots: folders, config, onError: (err) => say(err instanceof Error ? err.message : String(err)) });
  const runs = await Runs.open({ engine, config, journal: new MemoryRunJournal(), onError: (err) => say(`runs: ${err instanceof Error ? err.message : String(err)}`) });
  const demo = demoStarterFor(engine, {
    onError: (err) => say(`demo: ${err instanceof Error ? err.message : String(err)}`),
    actionsTrust: { trust: (root) => trustProjectActions(config, root, Date.now()), forget: (root) => forgetProjectActionsTrust(config, root) },
  });
  let server;
  try {
    server = await startServer({ engine, tokens, host, port, maxClients, log: say, startDemo: demo.start, runs });
  } catch (err) {
    await runs.close();
    await engine.close();
    await tokens.close();
    if (err instanceof ListenError) {
      say(err.message);
      return 2;
    }
    throw err;
  }

  const stopped = untilStopSignal();
  // So `vigil run` finds this engine and starts its runs here.
  await writeServeRecord(configDir, { pid: process.pid, url: loopbackUrl(host, server.port), startedAt: Date.now() }).catch((err: unknown) =>
    say(`could not note this server in ${configDir} (vigil run will start its own engine): ${err instanceof Error ? err.message : String(err)}`),
  );
  if (!isLoopbackHost(host)) {
    say(`listening on ${host}: other machines on your network can reach this server (a token is still required)`);
  }
  if (values['no-token-print']) {
    process.stdout.write(`${server.url}\n`);
  } else {
    const { secret } = await tokens.defaultReadToken();
    process.stdout.write(`${server.urlWithToken(secret)}\n`);
  }

  await stopped;
  await removeServeRecord(configDir);
  await server.close();
  await demo.close();
  // Before the engine: running agents are stopped and their runs recorded.
  await runs.close();
  await engine.close();
  await tokens.close();
  return 0;
}

// `vigil serve`, composed from the same parts as main/commands/serve.ts (config store, token
// store, createEngine, startServer), with one difference: the client cap is a flag. serve has
// no --max-clients (its cap is 64) and the benches connect 100 and 500 clients. lib/vigil.ts
// uses the real `vigil serve` whenever it can take the clients, this host only when it cannot.
// It is bundled with esbuild (lib/host-bundle.ts) so it runs like dist/cli.js, without a loader.
import { parseArgs } from 'node:util';
import { ConfigStore } from '../../../main/engine/config';
import { createEngine } from '../../../main/engine/engine';
import { startServer } from '../../../main/server/server';
import { TokenStore } from '../../../main/server/tokens';

const { values, positionals: folders } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string', default: '0' },
    'config-dir': { type: 'string' },
    'max-clients': { type: 'string', default: '64' },
  },
});
const say = (line: string): void => void process.stderr.write(`vigil-host: ${line}\n`);
const configDir = values['config-dir'];
if (!configDir) throw new Error('--config-dir is required');

const config = new ConfigStore(configDir);
for (const warning of await config.load()) say(warning);
const tokens = await TokenStore.open(configDir, { watch: true });
const engine = await createEngine({ roots: folders, config, onError: (err) => say(err instanceof Error ? err.message : String(err)) });
const server = await startServer({ engine, tokens, host: '127.0.0.1', port: Number(values.port), maxClients: Number(values['max-clients']), maxClientsPerToken: Number(values['max-clients']), log: say });
const { secret } = await tokens.defaultReadToken();
process.stdout.write(`${server.urlWithToken(secret)}\n`);

await new Promise<void>((resolve) => {
  process.once('SIGTERM', () => resolve());
  process.once('SIGINT', () => resolve());
});
await server.close();
await engine.close();
await tokens.close();

// `vigil token list | create [--scope read|control] [--label L] | revoke <id>`: manage who may
// open the web UI and the API. A running `vigil serve` follows the token file, so a revoke
// here disconnects that token's browsers at once; a token created here works there at once.
import { TokenScopeSchema } from '../../shared/tokens';
import { defaultConfigDir } from '../engine/config-dir';
import { TokenStore } from '../server/tokens';
import { dashboardUrl, DEFAULT_HOST, DEFAULT_PORT } from '../server/server';
import { parseCommandArgs, usageError } from './args';
import { parsePort } from './ports';
import { TOKEN } from './specs';

function when(ms: number | null): string {
  return ms === null ? 'never' : new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(TOKEN, args);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [action, ...rest] = positionals as [string, ...string[]];
  if (!['list', 'create', 'revoke'].includes(action)) return usageError('token', `unknown action '${action}'; use list, create or revoke`);
  const port = parsePort(values.port, DEFAULT_PORT);
  if (port === null) return usageError('token', `--port must be a number from 1 to 65535, not ${JSON.stringify(values.port)}`);
  const scope = TokenScopeSchema.safeParse(values.scope ?? 'read');
  if (!scope.success) return usageError('token', `--scope must be read or control, not ${JSON.stringify(values.scope)}`);
  if (action === 'revoke' && !rest[0]) return usageError('token', 'revoke needs a token id (`vigil token list` shows them)');

  const store = await TokenStore.open(values['config-dir'] ?? defaultConfigDir());
  try {
    if (store.warning) process.stderr.write(`vigil token: ${store.warning}\n`);
    switch (action) {
      case 'list': {
        const tokens = store.list();
        if (values.json) {
          process.stdout.write(`${JSON.stringify(tokens, null, 2)}\n`);
          return 0;
        }
        if (tokens.length === 0) {
          process.stdout.write('No tokens yet. `vigil serve` makes a read token; `vigil token create` makes more.\n');
          return 0;
        }
        const rows = tokens.map((t) => [t.id, t.scope, when(t.createdAt), when(t.lastUsedAt), t.label]);
        const header = ['ID', 'SCOPE', 'CREATED', 'LAST USED', 'LABEL'];
        const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
        for (const row of [header, ...rows]) {
          process.stdout.write(`${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}\n`);
        }
        return 0;
      }
      case 'create': {
        const { token, secret } = await store.create(scope.data, values.label ?? '');
        // The secret alone on stdout, so `TOKEN=$(vigil token create)` keeps working; the URL to
        // open goes beside the explanation, on stderr, where a person reads it.
        process.stdout.write(`${secret}\n`);
        const url = dashboardUrl(values.host ?? DEFAULT_HOST, port, secret);
        process.stderr.write(
          `Created ${token.scope} token ${token.id}${token.label ? ` (${token.label})` : ''}. Open it in a browser:\n` +
            `  ${url}\n` +
            'Copy it now: the secret is not stored and cannot be shown again.' +
            (values.port === undefined && values.host === undefined ? ' (A server on another port or host: pass --port / --host.)' : '') +
            '\n',
        );
        return 0;
      }
      case 'revoke': {
        const id = rest[0]!;
        if (!(await store.revoke(id))) {
          process.stderr.write(`vigil token: no token with id ${id}; \`vigil token list\` shows them\n`);
          return 1;
        }
        process.stderr.write(`Revoked ${id}; browsers using it are disconnected.\n`);
        return 0;
      }
      default:
        return usageError('token', `unknown action '${action}'`);
    }
  } finally {
    await store.close();
  }
}

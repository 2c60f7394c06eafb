// `vigil token list | create [--scope read|control] [--label L] | revoke <id>`: manage who may
// open the web UI and the API. A running `vigil serve` follows the token file, so a revoke
// here disconnects that token's browsers at once.
import { TokenScopeSchema } from '../../shared/tokens';
import { defaultConfigDir } from '../engine/json-file';
import { TokenStore } from '../server/tokens';
import { parseCommandArgs, usageError } from './args';

const USAGE = `Usage: vigil token list [--json]
       vigil token create [--scope read|control] [--label L]
       vigil token revoke <id>
Options: --config-dir D   where tokens.json lives (default: VIGIL_CONFIG_DIR or ~/.config/vigil)
`;

function when(ms: number | null): string {
  return ms === null ? 'never' : new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(
    'token',
    args,
    { scope: { type: 'string' }, label: { type: 'string' }, json: { type: 'boolean' }, 'config-dir': { type: 'string' } },
    USAGE,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [action, ...rest] = positionals;
  if (!action) {
    process.stderr.write(USAGE);
    return 2;
  }

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
        const scope = TokenScopeSchema.safeParse(values.scope ?? 'read');
        if (!scope.success) {
          process.stderr.write(`vigil token: --scope must be read or control, not ${JSON.stringify(values.scope)}\n`);
          return 2;
        }
        const { token, secret } = await store.create(scope.data, values.label ?? '');
        // The secret alone on stdout, so `TOKEN=$(vigil token create)` works.
        process.stdout.write(`${secret}\n`);
        process.stderr.write(
          `Created ${token.scope} token ${token.id}${token.label ? ` (${token.label})` : ''}. ` +
            'Copy the secret now: it is not stored and cannot be shown again.\n',
        );
        return 0;
      }
      case 'revoke': {
        const [id] = rest;
        if (!id) {
          process.stderr.write('vigil token: revoke needs a token id (see `vigil token list`)\n');
          return 2;
        }
        if (!(await store.revoke(id))) {
          process.stderr.write(`vigil token: no token with id ${id}; \`vigil token list\` shows them\n`);
          return 1;
        }
        process.stderr.write(`Revoked ${id}; browsers using it are disconnected.\n`);
        return 0;
      }
      default:
        return usageError('token', `unknown action '${action}'`, USAGE);
    }
  } finally {
    await store.close();
  }
}

// The command line as a person meets it: every command's --help lists every option it takes,
// and a mistyped command line ends in one clean line on stderr and exit code 2.
import { describe, expect, test } from 'vitest';
import { COMMAND_SPECS } from '../../../main/commands/specs';
import { vigil } from './cli-process';

describe('vigil --help', () => {
  test('lists every command', async () => {
    const help = await vigil(['--help']);
    expect(help.code).toBe(0);
    for (const spec of COMMAND_SPECS) expect(help.stdout).toMatch(new RegExp(`^  ${spec.name}\\b`, 'm'));
  });

  test.each(COMMAND_SPECS.map((spec) => [spec.name, Object.keys(spec.options)] as const))('vigil %s --help lists each of its options', async (name, options) => {
    const help = await vigil([name, '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(new RegExp(`^Usage: vigil ${name}\\b`));
    for (const option of [...options, 'help']) expect(help.stdout).toMatch(new RegExp(`^  (-\\w, )?--${option}\\b.*\\S`, 'm'));
  });
});

describe('usage errors', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown command', ['frobnicate'], /^vigil: unknown command 'frobnicate' \(commands: .*; see `vigil --help`\)$/],
    ['an unknown option', ['serve', '--prot', '80'], /^vigil serve: Unknown option '--prot' \(see `vigil serve --help`\)$/],
    ['a missing option value', ['scan', 'x', '--json=yes'], /^vigil scan: .* \(see `vigil scan --help`\)$/],
    ['a bad port', ['demo', '--port', 'x'], /^vigil demo: --port must be a number from 0 to 65535, not "x" \(see `vigil demo --help`\)$/],
    ['an argument where none is taken', ['list', 'extra'], /^vigil list: takes no folder or other argument \(got "extra"\) \(see `vigil list --help`\)$/],
    ['no folder to scan', ['scan'], /^vigil scan: give at least one folder to scan \(see `vigil scan --help`\)$/],
    ['no folder to watch', ['watch'], /^vigil watch: give at least one folder to watch/],
    ['two folders to discover', ['discover', 'a', 'b'], /^vigil discover: one folder at a time/],
    ['a bad depth', ['discover', 'a', '--max-depth', '-1'], /^vigil discover: /],
    ['an unknown token action', ['token', 'explode'], /^vigil token: unknown action 'explode'; use list, create or revoke/],
    ['a bad scope', ['token', 'create', '--scope', 'admin'], /^vigil token: --scope must be read or control/],
    ['a bad --max-clients', ['serve', '--max-clients', '0'], /^vigil serve: --max-clients must be/],
    ['a bad start port', ['start', '--port', '99999'], /^vigil start: --port must be a number/],
  ];
  test.each(cases)('%s exits 2 with one line', async (_what, args, line) => {
    const result = await vigil(args, { VIGIL_CONFIG_DIR: '/nonexistent/vigil-usage-test' });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    expect(lines[0]).toMatch(line);
  });
});

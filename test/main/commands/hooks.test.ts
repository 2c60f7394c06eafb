// `vigil hooks install | uninstall | status` on real project folders with the settings a user
// already has, and the installed commands run exactly as the agents run them: Claude Code's
// with `sh -c` from the project folder and the JSON on stdin, Codex's with the JSON as argument.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, realpath, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseToml } from 'smol-toml';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { AgentSession, Snapshot } from '../../../shared/model';

const CLI = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));

let base: string;
let project: string;
let configDir: string;
let codexHome: string;
const children: ChildProcess[] = [];

/** The installed hooks may wait for a starved test machine: these tests are about what they deliver. */
const PATIENT = { ...process.env, VIGIL_HOOK_MIN_WORK_MS: '5000' };

function run(cmd: string, args: string[], options: { cwd?: string; stdin?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(cmd, args, { cwd: options.cwd ?? base, stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? PATIENT });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  child.stdin.end(options.stdin ?? '');
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

const vigil = (...args: string[]): ReturnType<typeof run> => run(process.execPath, [CLI, ...args]);

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** `vigil serve` on the project; resolves with a function that reads its snapshot. */
async function serve(): Promise<() => Promise<Snapshot>> {
  const child = spawn(process.execPath, [CLI, 'serve', project, '--port', '0', '--config-dir', configDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  const url = await until('the URL', async () => out.includes('\n') && out.split('\n')[0]);
  await until('the hook endpoint file', async () => stat(join(configDir, 'hook-endpoint.json')).catch(() => null));
  const origin = url.slice(0, url.indexOf('#'));
  const token = url.slice(url.indexOf('#token=') + 7);
  return async () => (await (await fetch(`${origin}api/snapshot`, { headers: { Authorization: `Bearer ${token}` } })).json()) as Snapshot;
}

/** A settings file as a user keeps it: 4-space indent, permissions, their own hooks. */
const USER_SETTINGS = `{
    "permissions": {
        "allow": ["Bash(npm test:*)", "Bash(git status)"]
    },
    "hooks": {
        "PreToolUse": [
            {
                "matcher": "Bash",
                "hooks": [{"type": "command", "command": "~/.claude/guard.sh"}]
            }
        ],
        "Stop": [
            {
                "hooks": [{"type": "command", "command": "notify-send 'Claude is done'"}]
            }
        ]
    }
}
`;

beforeEach(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'vigil-hooks-')));
  project = join(base, 'shop');
  configDir = join(base, 'config');
  codexHome = join(base, 'codex-home');
  await mkdir(join(project, '.taskmaster', 'tasks'), { recursive: true });
  await writeFile(join(project, '.taskmaster', 'tasks', 'tasks.json'), JSON.stringify({ master: { tasks: [] } }));
});

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await rm(base, { recursive: true, force: true });
});

interface Settings {
  permissions?: unknown;
  hooks: Record<string, { matcher?: string; hooks: { type: string; command: string; timeout?: number }[] }[]>;
}

describe('Claude Code hooks', () => {
  test("install merges into the user's settings, every installed command works under sh -c, and uninstall restores the file exactly", async () => {
    const file = join(project, '.claude', 'settings.local.json');
    await mkdir(join(project, '.claude'));
    await writeFile(file, USER_SETTINGS);

    const installed = await vigil('hooks', 'install', project, '--config-dir', configDir);
    expect(installed).toMatchObject({ code: 0, stderr: '' });
    expect(installed.stdout).toContain(`Installed Claude Code hooks in ${file}`);
    const text = await readFile(file, 'utf8');
    const settings = JSON.parse(text) as Settings;
    // The user's own parts are all still there, as written.
    expect(settings.permissions).toEqual({ allow: ['Bash(npm test:*)', 'Bash(git status)'] });
    expect(settings.hooks.PreToolUse).toEqual([{ matcher: 'Bash', hooks: [{ type: 'command', command: '~/.claude/guard.sh' }] }]);
    expect(settings.hooks.Stop![0]).toEqual({ hooks: [{ type: 'command', command: "notify-send 'Claude is done'" }] });
    expect(text).toContain('        "allow": ["Bash(npm test:*)", "Bash(git status)"]\n');
    // Vigil's hook on each event, indented like the rest of the file.
    for (const event of ['SessionStart', 'UserPromptSubmit', 'Notification', 'PostToolUse', 'Stop', 'SubagentStop', 'SessionEnd']) {
      const ours = settings.hooks[event]!.flatMap((g) => g.hooks).filter((h) => h.command.includes('hook.cjs'));
      expect(ours, event).toHaveLength(1);
      expect(ours[0]).toMatchObject({ type: 'command', timeout: 5 });
    }
    expect(text).toMatch(/\n {12}\{\n {16}"hooks": \[/);

    // Installing again changes nothing.
    expect((await vigil('hooks', 'install', project, '--config-dir', configDir)).stdout).toContain('already installed');
    expect(await readFile(file, 'utf8')).toBe(text);

    // Each command, run the way Claude Code runs it, reaches the Vigil of that config folder.
    const snapshot = await serve();
    const session = (id: string) => async (): Promise<AgentSession | undefined> => (await snapshot()).agents.find((a) => a.id === id);
    const commandFor = (event: string): string => settings.hooks[event]!.flatMap((g) => g.hooks).find((h) => h.command.includes('hook.cjs'))!.command;
    const payload = (event: string, extra: object): string =>
      JSON.stringify({ session_id: 'c0ffee', transcript_path: '/home/dev/.claude/projects/x/c0ffee.jsonl', cwd: project, permission_mode: 'default', hook_event_name: event, ...extra });
    const shell = await run('sh', ['-c', commandFor('Notification')], { cwd: project, stdin: payload('Notification', { message: 'Claude needs your permission to use Write', notification_type: 'permission_prompt' }) });
    expect(shell).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await until('needs-input', async () => (await session('claude:c0ffee')())?.state === 'needs-input' && session('claude:c0ffee')())).toMatchObject({
      message: 'Claude needs your permission to use Write',
    });
    for (const event of ['SessionStart', 'UserPromptSubmit', 'PostToolUse', 'SubagentStop', 'Stop', 'SessionEnd']) {
      expect(await run('sh', ['-c', commandFor(event)], { cwd: project, stdin: payload(event, {}) }), event).toEqual({ code: 0, stdout: '', stderr: '' });
    }
    await until('ended', async () => (await session('claude:c0ffee')())?.state === 'ended');

    // Status: installed, and the last event it saw (written by the running Vigil within a second or two).
    await until('the last hook event in status', async () => (await vigil('hooks', 'status', project, '--config-dir', configDir)).stdout.includes('last hook event: SessionEnd from claude'));
    const status = await vigil('hooks', 'status', project, '--config-dir', configDir, '--json');
    expect(JSON.parse(status.stdout)).toEqual([
      expect.objectContaining({ claude: expect.objectContaining({ installed: true, broken: null, missingEvents: [] }), vigilRunning: true, lastEvent: expect.objectContaining({ agent: 'claude', event: 'SessionEnd' }) }),
    ]);

    const removed = await vigil('hooks', 'uninstall', project, '--config-dir', configDir);
    expect(removed).toMatchObject({ code: 0, stdout: `Removed Vigil's hooks: ${file} is back as it was before\n` });
    expect(await readFile(file, 'utf8')).toBe(USER_SETTINGS);
  }, 60_000);

  test('uninstall after the user edited the file takes out only Vigil’s entries and keeps their edit', async () => {
    const file = join(project, '.claude', 'settings.local.json');
    await mkdir(join(project, '.claude'));
    await writeFile(file, USER_SETTINGS);
    await vigil('hooks', 'install', project, '--config-dir', configDir);
    const edited = (await readFile(file, 'utf8')).replace('"Bash(git status)"', '"Bash(git status)", "Bash(git diff)"');
    await writeFile(file, edited);
    expect((await vigil('hooks', 'uninstall', project, '--config-dir', configDir)).stdout).toContain('your other changes since are kept');
    expect(await readFile(file, 'utf8')).toBe(USER_SETTINGS.replace('"Bash(git status)"', '"Bash(git status)", "Bash(git diff)"'));
  });

  test('a project without settings gets the file, and uninstall removes it and the folder it made', async () => {
    expect((await vigil('hooks', 'install', project, '--config-dir', configDir)).code).toBe(0);
    const settings = JSON.parse(await readFile(join(project, '.claude', 'settings.local.json'), 'utf8')) as Settings;
    expect(Object.keys(settings.hooks)).toHaveLength(7);
    expect((await vigil('hooks', 'uninstall', project, '--config-dir', configDir)).stdout).toContain('Vigil had created it');
    expect(await stat(join(project, '.claude')).catch(() => null)).toBeNull();
  });

  test('a broken settings file, a symlinked one or a named pipe is refused and left as it was', async () => {
    await mkdir(join(project, '.claude'));
    const file = join(project, '.claude', 'settings.local.json');
    await writeFile(file, '{\n  "hooks": {\n');
    const broken = await vigil('hooks', 'install', project, '--config-dir', configDir);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/settings\.local\.json is not valid JSON \(CloseBraceExpected on line 3\); fix it/);
    expect(await readFile(file, 'utf8')).toBe('{\n  "hooks": {\n');

    await rm(file);
    const outside = join(base, 'elsewhere.json');
    await writeFile(outside, '{}');
    await symlink(outside, file);
    const linked = await vigil('hooks', 'install', project, '--config-dir', configDir);
    expect(linked.code).toBe(1);
    expect(linked.stderr).toMatch(/is a symbolic link/);
    expect(await readFile(outside, 'utf8')).toBe('{}');

    // A named pipe is refused without waiting on it, by install and by status.
    await rm(file);
    execFileSync('mkfifo', [file]);
    const piped = await vigil('hooks', 'install', project, '--config-dir', configDir);
    expect(piped.code).toBe(1);
    expect(piped.stderr).toMatch(/is not a regular file/);
    expect((await vigil('hooks', 'status', project, '--config-dir', configDir)).stdout).toContain('Claude Code: not installed');
  });

  test('status warns when the installed hook can no longer run', async () => {
    await mkdir(join(project, '.claude'));
    const command = `'${process.execPath}' '/opt/old-vigil/dist/hook.cjs' claude --config-dir '${configDir}'`;
    await writeFile(join(project, '.claude', 'settings.local.json'), JSON.stringify({ hooks: { Stop: [{ hooks: [{ type: 'command', command }] }] } }));
    const status = await vigil('hooks', 'status', project, '--config-dir', configDir);
    expect(status.stdout).toContain('warning: the hook cannot run: /opt/old-vigil/dist/hook.cjs does not exist');
    expect(status.stdout).toContain('warning: no hook for SessionStart');
    // Installing again repairs it in place.
    await vigil('hooks', 'install', project, '--config-dir', configDir);
    expect((await vigil('hooks', 'status', project, '--config-dir', configDir)).stdout).not.toContain('warning');
  });
});

describe("Codex's notify", () => {
  const CODEX_CONFIG = `# my Codex settings
model = "o3"
notify = ["sh", "${'{NOTIFY}'}"]

[mcp_servers.docs]
command = "npx"
args = ["-y", "docs-mcp"]
`;

  test("install chains the user's notify program, both run with Codex's argument, and uninstall restores the file exactly", async () => {
    await mkdir(codexHome);
    const seen = join(base, 'user-notify-saw.json');
    const script = join(base, 'user-notify.sh');
    await writeFile(script, `printf '%s' "$1" > '${seen}'\n`);
    await chmod(script, 0o755);
    const original = CODEX_CONFIG.replace('{NOTIFY}', script);
    const file = join(codexHome, 'config.toml');
    await writeFile(file, original);

    const installed = await vigil('hooks', 'install', project, '--agent', 'codex', '--config-dir', configDir, '--codex-home', codexHome);
    expect(installed).toMatchObject({ code: 0 });
    expect(installed.stdout).toContain(`Your notify program keeps running after Vigil's: sh ${script}`);
    const text = await readFile(file, 'utf8');
    const config = parseToml(text) as { model: string; notify: string[]; mcp_servers: unknown };
    expect(config.model).toBe('o3');
    expect(config.mcp_servers).toEqual({ docs: { command: 'npx', args: ['-y', 'docs-mcp'] } });
    expect(config.notify.slice(2, 5)).toEqual(['codex', '--config-dir', configDir]);

    const snapshot = await serve();
    const notify = JSON.stringify({
      type: 'agent-turn-complete',
      'thread-id': 'b5f6c1e2-8c1b-4d2e-9a7f-3e1c2d4b5a6f',
      'turn-id': '7',
      cwd: project,
      'input-messages': ['add a test for the cart total'],
      'last-assistant-message': 'Added cart.test.ts; all 12 tests pass.',
    });
    const [program, ...args] = config.notify;
    expect(await run(program!, [...args, notify], { cwd: project })).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await until('the codex session', async () => (await snapshot()).agents.find((a) => a.agent === 'codex'))).toMatchObject({
      state: 'idle',
      message: 'Added cart.test.ts; all 12 tests pass.',
    });
    expect(await until('the chained program', async () => readFile(seen, 'utf8').catch(() => null))).toBe(notify);

    expect((await vigil('hooks', 'uninstall', project, '--agent', 'codex', '--config-dir', configDir, '--codex-home', codexHome)).code).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(original);
  }, 60_000);

  test('with no notify before, install adds one and uninstall removes just that line from a file edited since', async () => {
    await mkdir(codexHome);
    const file = join(codexHome, 'config.toml');
    await writeFile(file, 'model = "o3"\n');
    await vigil('hooks', 'install', project, '--agent', 'codex', '--config-dir', configDir, '--codex-home', codexHome);
    await writeFile(file, `${await readFile(file, 'utf8')}approval_policy = "on-request"\n`);
    expect((await vigil('hooks', 'uninstall', project, '--agent', 'codex', '--config-dir', configDir, '--codex-home', codexHome)).stdout).toContain('your other changes since are kept');
    expect(await readFile(file, 'utf8')).toBe('model = "o3"\napproval_policy = "on-request"\n');
  });
});

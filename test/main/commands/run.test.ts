// `vigil run`, `vigil runs` and `vigil action` as a user types them: the built CLI in child
// processes, a real project folder, a temp config folder, the fake agent as the action.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Run } from '../../../shared/model';
import { selectRuns } from '../../../main/runs/run-table';
import { closeQuietly, openJournalForReading } from '../../../main/store/database';
import { tempDir, waitUntil } from '../engine/live-helpers';
import { writeFakeAgent } from '../runs/fake-agent';

const CLI = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

let base: { path: string; remove: () => void };
let project: string;
let configDir: string;
let agent: string[];
const children: ReturnType<typeof spawn>[] = [];

/** The command, then --config-dir (before any `--` that ends the options), then the rest. */
function vigil(command: string, ...args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, command, '--config-dir', configDir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeEach(() => {
  base = tempDir('vigil-run-cli-');
  project = join(base.path, 'shop');
  configDir = join(base.path, 'config');
  mkdirSync(join(project, '.taskmaster', 'tasks'), { recursive: true });
  writeFileSync(join(project, '.taskmaster', 'tasks', 'tasks.json'), JSON.stringify({ master: { tasks: [{ id: 7, title: 'Cart; rm -rf ~', status: 'pending', subtasks: [] }] } }));
  agent = writeFakeAgent(base.path);
});

afterEach(async () => {
  // SIGTERM, as a user stops serve: it stops the agents it started before it exits.
  for (const child of children.splice(0)) {
    const closed = new Promise((resolve) => child.once('close', resolve));
    child.kill('SIGTERM');
    await closed;
  }
  base.remove();
});

describe('vigil action', () => {
  test('add, list, remove an action; turn a preset on and off', async () => {
    const added = await vigil('action', 'add', 'echo', '--label', 'Echo', '--applies-to', 'taskmaster:task', '--', ...agent, 'argv', '{item.title}');
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^Added the action echo: /);
    expect((await vigil('action', 'add', '--preset', 'claude-code')).code).toBe(0);
    const listed = JSON.parse((await vigil('action', 'list', '--json')).stdout) as { actions: { id: string; origin: string }[]; presets: { id: string; enabled: boolean }[] };
    expect(listed.actions.map((a) => [a.id, a.origin])).toEqual([
      ['echo', 'user'],
      ['claude-code', 'preset'],
    ]);
    expect(listed.presets.find((p) => p.id === 'codex')?.enabled).toBe(false);
    expect((await vigil('action', 'remove', 'claude-code')).stdout).toContain('Turned off the preset claude-code');
    expect((await vigil('action', 'remove', 'echo')).stdout).toContain('Removed the action echo');
    const gone = await vigil('action', 'remove', 'echo');
    expect(gone.code).toBe(1);
    expect(gone.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('a bad action is refused with what is wrong, and nothing is saved', async () => {
    const shellPlaceholder = await vigil('action', 'add', 'sh1', '--shell', '--', 'echo {item.title}');
    expect(shellPlaceholder.code).toBe(2);
    expect(shellPlaceholder.stderr).toMatch(/placeholder inside it/);
    const noProgram = await vigil('action', 'add', 'x');
    expect(noProgram.code).toBe(2);
    expect(JSON.parse((await vigil('action', 'list', '--json')).stdout).actions).toEqual([]);
  });

  test('trust shows what it trusts; a changed file is untrusted again', async () => {
    mkdirSync(join(project, '.vigil'));
    writeFileSync(join(project, '.vigil', 'actions.json'), JSON.stringify({ actions: [{ id: 'hello', argv: [...agent, 'lines', '1', '1', '0'] }] }));
    expect((await vigil('action', 'list', project)).stdout).toMatch(/\.vigil\/actions\.json in .*: untrusted/);
    const untrusted = await vigil('run', project, 'hello');
    expect(untrusted.code).toBe(2);
    expect(untrusted.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^vigil run: Action "hello" is in \.vigil\/actions\.json, which is not trusted yet/)]);

    const trusted = await vigil('action', 'trust', project);
    expect(trusted.code).toBe(0);
    expect(trusted.stdout).toMatch(/Trusted 1 action\(s\)/);
    expect(trusted.stdout).toContain('hello');
    expect((await vigil('run', project, 'hello', '--follow')).code).toBe(0);

    writeFileSync(join(project, '.vigil', 'actions.json'), JSON.stringify({ actions: [{ id: 'hello', argv: [...agent, 'lines', '1', '1', '5'] }] }));
    const changed = await vigil('run', project, 'hello');
    expect(changed.code).toBe(2);
    expect(changed.stderr).toMatch(/changed since it was trusted/);
  });
});

describe('vigil run without a running Vigil', () => {
  test('--follow prints the log, ends with the sentinel, and exits with the run\'s code', async () => {
    await vigil('action', 'add', 'echo', '--applies-to', 'taskmaster', '--', ...agent, 'argv', '{item.title}', 'x');
    await vigil('action', 'add', 'fail', '--', ...agent, 'lines', '2', '5', '4');
    const ok = await vigil('run', project, 'echo', '--item', 'taskmaster:master:7', '--follow');
    expect(ok.code).toBe(0);
    const lines = ok.stdout.trimEnd().split('\n');
    // The title, shell metacharacters and all, arrived as one argument.
    expect(lines.some((l) => l.endsWith('"Cart; rm -rf ~"'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^=== Run Complete === exit=0 duration=\d+$/);
    expect(ok.stderr).toMatch(/succeeded \(exit 0\)/);

    const failed = await vigil('run', project, 'fail', '--follow');
    expect(failed.code).toBe(4);
    expect(failed.stdout.trimEnd().split('\n').at(-1)).toMatch(/exit=4/);
  });

  test('an unknown action or item is one line and exit code 2', async () => {
    await vigil('action', 'add', 'echo', '--applies-to', 'taskmaster', '--', ...agent, 'argv', '{item.title}');
    const unknown = await vigil('run', project, 'deploy');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toEqual(['vigil run: No action "deploy" in shop; its actions are echo.']);
    const noItem = await vigil('run', project, 'echo', '--item', 'taskmaster:master:99');
    expect(noItem.code).toBe(2);
    expect(noItem.stderr.trim().split('\n')).toHaveLength(1);
    const missing = await vigil('run', join(base.path, 'nope'), 'echo');
    expect(missing.code).toBe(2);
  });
});

describe('vigil run and vigil runs with a running vigil serve', () => {
  test('the run starts in the running engine; runs --json lists it in its fixed shape', async () => {
    await vigil('action', 'add', 'hang', '--', ...agent, 'hang');
    const serve = spawn(process.execPath, [CLI, 'serve', project, '--port', '0', '--config-dir', configDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(serve);
    await new Promise<void>((resolve, reject) => {
      serve.stdout.once('data', () => resolve());
      serve.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
    });
    const started = await vigil('run', project, 'hang');
    expect(started.code).toBe(0);
    const runId = started.stdout.trim();
    expect(runId).toMatch(/^r_[a-z0-9]+$/);
    expect(started.stderr).toMatch(/in the running Vigil/);

    const active = JSON.parse((await vigil('runs', '--active', '--json')).stdout) as { runs: Record<string, unknown>[] };
    expect(active.runs).toHaveLength(1);
    expect(Object.keys(active.runs[0]!)).toEqual(['id', 'projectId', 'action', 'itemId', 'state', 'exitCode', 'attempt', 'startedAt', 'endedAt', 'logPath']);
    expect(active.runs[0]).toMatchObject({ id: runId, action: 'hang', itemId: null, attempt: 1, exitCode: null, endedAt: null });
    expect(['queued', 'running']).toContain(active.runs[0]!.state);
    const table = await vigil('runs');
    expect(table.stdout).toContain(runId);
    // The short-lived tokens the commands made are gone again.
    expect((await vigil('token', 'list', '--json')).stdout).not.toContain('"cli"');
  });
});

describe('runs kept in the history database', () => {
  /** Start `vigil serve` on the project; resolves once it printed its URL. */
  async function startServe(): Promise<ReturnType<typeof spawn>> {
    const serve = spawn(process.execPath, [CLI, 'serve', project, '--port', '0', '--config-dir', configDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(serve);
    await new Promise<void>((resolve, reject) => {
      serve.stdout.once('data', () => resolve());
      serve.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
    });
    return serve;
  }

  const listed = async (): Promise<Record<string, unknown>[]> => (JSON.parse((await vigil('runs', '--json')).stdout) as { runs: Record<string, unknown>[] }).runs;

  /** The run as vigil.db holds it (the test reads the file as `vigil runs` does). */
  function stored(runId: string): Run | undefined {
    const opened = openJournalForReading(configDir);
    if (!opened) return undefined;
    try {
      return selectRuns(opened.db, {}).find((r) => r.id === runId);
    } finally {
      closeQuietly(opened.db);
    }
  }

  // Eleven CLI and serve starts one after another: on a loaded machine each takes seconds.
  test('vigil runs lists past runs with no Vigil running, a restarted serve lists them, and a run that died with serve is lost', async () => {
    await vigil('action', 'add', 'echo', '--', ...agent, 'argv', 'hello');
    await vigil('action', 'add', 'hang', '--', ...agent, 'hang');
    const done = await vigil('run', project, 'echo', '--follow');
    expect(done.code).toBe(0);

    // Nothing runs now: the run is read from vigil.db.
    const afterwards = await listed();
    expect(afterwards).toEqual([expect.objectContaining({ action: 'echo', state: 'succeeded', exitCode: 0, attempt: 1 })]);
    const echoId = afterwards[0]!.id as string;

    const first = await startServe();
    expect((await listed()).map((r) => r.id)).toEqual([echoId]);
    const started = await vigil('run', project, 'hang');
    const hangId = started.stdout.trim();
    expect(hangId).toMatch(/^r_[a-z0-9]+$/);
    await waitUntil(() => stored(hangId)?.state === 'running' && stored(hangId)?.pidStartTime !== null, 20_000, 'the run saved as running with its process');
    const pid = stored(hangId)!.pid!;

    // A crash: serve is killed, and its agent dies with the machine.
    const killed = new Promise((resolve) => first.once('close', resolve));
    first.kill('SIGKILL');
    await killed;
    children.splice(children.indexOf(first), 1);
    process.kill(-pid, 'SIGKILL');

    await startServe();
    await waitUntil(async () => (await listed()).find((r) => r.id === hangId)?.state === 'lost', 20_000, 'the run found lost on restart');
    const runs = await listed();
    expect(runs.map((r) => [r.id, r.state])).toEqual([
      [hangId, 'lost'],
      [echoId, 'succeeded'],
    ]);
  }, 90_000);
});

// `vigil watch --json` as a script uses it: the built CLI prints the hello snapshot, then one
// event per line as files change, and exits 0 on SIGINT/SIGTERM with everything closed.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import type { EngineEvent, Hello } from '../../../shared/protocol';
import { speckitFeature, writeFiles } from '../engine/live-helpers';
import { checkEvents, checkHello } from '../../protocol-check';

const CLI = process.env.VIGIL_CLI ?? fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const stderrs = new WeakMap<ChildProcessWithoutNullStreams, string[]>();
function stderrOf(child: ChildProcessWithoutNullStreams): string {
  return (stderrs.get(child) ?? []).join('') || '(empty)';
}

/** The child's stdout as parsed JSON lines, with a way to wait for the one a test needs. */
function lines(child: ChildProcessWithoutNullStreams) {
  const seen: unknown[] = [];
  let buffer = '';
  const errText: string[] = [];
  stderrs.set(child, errText);
  child.stderr.on('data', (d: Buffer) => errText.push(d.toString()));
  const waiters: { match: (v: unknown) => boolean; resolve: (v: unknown) => void }[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const value = JSON.parse(line) as unknown;
      // Every line is a hello (with its type) or an event, each as its schema says.
      if ((value as { type?: unknown }).type === 'hello') {
        const { type: _type, ...hello } = value as Record<string, unknown>;
        checkHello(hello, 'vigil watch');
      } else checkEvents([value], 'vigil watch');
      seen.push(value);
      for (const w of [...waiters]) {
        if (!w.match(value)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(value);
      }
    }
  });
  return {
    seen,
    next<T>(match: (v: unknown) => boolean, timeoutMs = 15_000): Promise<T> {
      const hit = seen.find(match);
      if (hit) return Promise.resolve(hit as T);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching line within ${timeoutMs} ms; saw ${seen.map((v) => (v as { type?: string }).type).join(', ') || 'nothing'}; stderr: ${stderrOf(child)}`)),
          timeoutMs,
        );
        waiters.push({ match, resolve: (v) => (clearTimeout(timer), resolve(v as T)) });
      });
    },
  };
}

function exitOf(child: ChildProcessWithoutNullStreams, timeoutMs = 10_000): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`vigil watch did not exit within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('exit', (code) => (clearTimeout(timer), resolve(code)));
  });
}

describe('vigil watch --json', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    test(`prints the hello snapshot, then each event as NDJSON, and exits 0 on ${signal}`, async () => {
      const root = mkdtempSync(join(tmpdir(), 'vigil-watch-'));
      cleanups.push(() => rmSync(root, { recursive: true, force: true }));
      writeFiles(root, speckitFeature());
      const child = spawn(process.execPath, [CLI, 'watch', root, '--json']);
      cleanups.push(() => child.kill('SIGKILL'));
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const out = lines(child);

      const hello = await out.next<Hello & { type: string }>((v) => (v as { type?: string }).type === 'hello');
      expect(hello.protocol).toBe(1);
      expect(hello.snapshot.projects).toHaveLength(1);
      expect(hello.snapshot.plans).toHaveLength(1);
      expect(hello.snapshot.plans[0]).toMatchObject({ source: 'speckit', status: 'todo' });

      writeFileSync(join(root, 'specs/001-user-login/tasks.md'), speckitFeature([true, false, false])['specs/001-user-login/tasks.md'] as string);
      const status = await out.next<EngineEvent>((v) => (v as EngineEvent).type === 'item:status');
      expect(status.payload).toMatchObject({ from: 'todo', to: 'in_progress' });
      expect(status.seq).toBeGreaterThan(hello.seq);

      child.kill(signal);
      expect(await exitOf(child)).toBe(0);
      expect(stderr).toBe('');
    });
  }

  test('a folder that does not exist is an error naming it, exit code 2', async () => {
    const missing = join(tmpdir(), 'vigil-no-such-folder-xyz');
    const child = spawn(process.execPath, [CLI, 'watch', missing, '--json']);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    expect(await exitOf(child)).toBe(2);
    expect(stderr).toContain(missing);
  });
});

describe('vigil watch (readable)', () => {
  test('a status change of an epic is told as an epic, not as a plan', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-watch-words-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const sprint = join(dir, '_bmad-output', 'implementation-artifacts', 'sprint-status.yaml');
    writeFiles(dir, { '_bmad-output/implementation-artifacts/sprint-status.yaml': 'development_status:\n  epic-1: backlog\n  1-1-login: backlog\n' });
    const child = spawn(process.execPath, [CLI, 'watch', dir]);
    cleanups.push(() => child.kill('SIGKILL'));
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await expect.poll(() => out, { timeout: 15_000 }).toContain(`watching ${dir}`);
    writeFileSync(sprint, 'development_status:\n  epic-1: in-progress\n  1-1-login: in-progress\n');
    await expect.poll(() => out, { timeout: 15_000 }).toMatch(/ epic bmad:epic:1 "[^"]*": backlog → in_progress\n/);
    expect(out).toMatch(/ story bmad:story:1-1-login "[^"]*": backlog → in_progress\n/);
    child.kill('SIGINT');
    expect(await exitOf(child)).toBe(0);
  });
});

// `vigil demo` as a newcomer runs it: a URL on stdout, a served workspace that keeps moving,
// and Ctrl-C (or the terminal closing) that stops it and deletes the workspace.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import type { Snapshot } from '../../../shared/model';

const CLI = process.env.VIGIL_CLI ?? fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));

test('vigil demo serves eight moving projects and Ctrl-C deletes its workspace', async () => {
  const child = spawn(process.execPath, [CLI, 'demo', '--port', '0', '--seed', '9'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await expect.poll(() => stdout, { timeout: 15_000 }).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/);
    const url = new URL(stdout.trim());
    const token = new URLSearchParams(url.hash.slice(1)).get('token')!;
    const workspace = /workspace (\S+) /.exec(stderr)?.[1];
    expect(workspace && existsSync(workspace)).toBe(true);
    const snapshot = async () => (await (await fetch(`${url.origin}/api/snapshot`, { headers: { Authorization: `Bearer ${token}` } })).json()) as Snapshot;
    const first = await snapshot();
    expect(first.projects).toHaveLength(8);
    expect(new Set(first.projects.flatMap((p) => p.sources)).size).toBe(8);
    // The simulated agent moves something every second or two.
    await expect.poll(async () => (await snapshot()).seq, { timeout: 10_000, interval: 500 }).toBeGreaterThan(first.seq);

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(existsSync(workspace!)).toBe(false);
  } finally {
    child.kill('SIGKILL');
  }
}, 40_000);

test('closing the terminal (SIGHUP) stops vigil demo and deletes its workspace too', async () => {
  const child = spawn(process.execPath, [CLI, 'demo', '--port', '0', '--seed', '4'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await expect.poll(() => stdout, { timeout: 15_000 }).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=.*\n/);
    const workspace = /workspace (\S+) /.exec(stderr)?.[1];
    expect(workspace && existsSync(workspace)).toBe(true);
    child.kill('SIGHUP');
    expect(await exited).toBe(0);
    expect(existsSync(workspace!)).toBe(false);
  } finally {
    child.kill('SIGKILL');
  }
}, 40_000);

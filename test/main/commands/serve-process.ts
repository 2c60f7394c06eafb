// `vigil serve` and other commands as a user runs them: the built CLI in a child process,
// its output collected, its exit awaited. Children still running at the end are killed by
// `killChildren()` in afterEach.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));

export interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves on 'close' (everything the process wrote has been read). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children: ChildProcess[] = [];

/** Run `vigil <args…>`; `shellPrefix` (e.g. `ulimit -n 64`) runs first in a shell. */
export function vigil(args: string[], options: { env?: NodeJS.ProcessEnv; shellPrefix?: string } = {}): Running {
  const env = { ...process.env, ...options.env };
  const child = options.shellPrefix
    ? spawn('/bin/sh', ['-c', `${options.shellPrefix} && exec "$0" "$@"`, process.execPath, CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env })
    : spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Run a command to its end. */
export async function vigilDone(args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = vigil(args, options);
  const { code } = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** The first stdout line of a serve: the URL. */
export async function urlOf(served: Running, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!served.stdout().includes('\n')) {
    if (served.child.exitCode !== null) throw new Error(`vigil serve exited ${served.child.exitCode}: ${served.stderr()}`);
    if (Date.now() > deadline) throw new Error(`no URL printed; stderr: ${served.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return served.stdout().split('\n')[0]!;
}

export function splitUrl(url: string): { origin: string; token: string } {
  return { origin: url.slice(0, url.indexOf('#')), token: decodeURIComponent(url.slice(url.indexOf('#token=') + '#token='.length)) };
}

export function killChildren(): void {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

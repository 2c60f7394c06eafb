// The built CLI as a person or a script runs it: a child process with its own environment,
// its output read only after it closed (or, for servers, as it arrives).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = process.env.VIGIL_CLI ?? fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));

export interface Finished {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `vigil …args` to the end. */
export function vigil(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Finished> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (err as { code?: unknown }).code : 0;
      resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
    });
  });
}

/** A long-running command (serve, demo, start): its output so far, and how it ended. */
export interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Settles once the process closed (all of its output has been read). */
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The stdout lines printed so far that look like URLs. */
  urls(): string[];
}

export function startVigil(args: string[], env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    closed,
    urls: () => out.split('\n').filter((line) => line.startsWith('http')),
  };
}

/** Wait until `count` URLs were printed; fails with what the process said if it exits first. */
export async function urlsOf(running: Running, count = 1, timeoutMs = 30_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const urls = running.urls();
    // A line is complete once the newline after it arrived.
    if (urls.length >= count && running.stdout().endsWith('\n')) return urls;
    if (running.child.exitCode !== null || running.child.signalCode !== null) {
      throw new Error(`vigil exited (${running.child.exitCode ?? running.child.signalCode}) before printing ${count} URL(s). stderr:\n${running.stderr()}`);
    }
    if (Date.now() > deadline) throw new Error(`no URL within ${timeoutMs} ms. stderr:\n${running.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Stop a running command with `signal` and wait for it; SIGKILL if it does not go. */
export async function stopVigil(running: Running, signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill(signal);
  const timer = setTimeout(() => running.child.kill('SIGKILL'), 20_000);
  const result = await running.closed;
  clearTimeout(timer);
  return result;
}

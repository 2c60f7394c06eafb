// Vigil as users run it headless: `node dist/cli.js serve <folders> --port 0`, a child process
// the bench owns. The URL it prints carries the read token.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Snapshot } from '../../../shared/model';
import { REPO_DIR } from './children';
import { nowMs } from './clock';
import { ownChild, tempDir } from './lifetime';

export const CLI = join(REPO_DIR, 'dist', 'cli.js');

export interface Serve {
  pid: number;
  url: string;
  token: string;
  /** ms from spawn to the URL line. */
  startedInMs: number;
  child: ChildProcess;
  /** Everything it wrote to stderr so far (warnings, refusals). */
  stderr(): string;
  stop(): Promise<void>;
}

export interface ServeOptions {
  /** Extra CLI flags, e.g. ['--max-clients', '600']. */
  args?: string[];
  /** Node flags, e.g. ['--cpu-prof', '--cpu-prof-dir', dir] to find out where time goes. */
  execArgv?: string[];
  timeoutMs?: number;
}

/** Why Vigil cannot be run, or null when it can. */
export function serveUnavailable(): string | null {
  if (!existsSync(CLI)) return `${CLI} is missing: run \`npm run build\``;
  return null;
}

export function startServe(roots: string[], options: ServeOptions = {}): Promise<Serve> {
  const configDir = tempDir('config').path;
  const started = nowMs();
  const child = spawn(
    process.execPath,
    [...(options.execArgv ?? []), CLI, 'serve', ...roots, '--port', '0', '--config-dir', configDir, ...(options.args ?? [])],
    { cwd: REPO_DIR, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  ownChild(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    if (err.length > 200_000) err = err.slice(-100_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`vigil serve printed no URL within ${options.timeoutMs ?? 30_000} ms; stderr: ${err.slice(-2000)}`));
    }, options.timeoutMs ?? 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`vigil serve exited (${code}) before printing its URL; stderr: ${err.slice(-2000)}`));
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /(https?:\/\/[^\s#]+)\/?#token=([^\s&]+)/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.removeAllListeners('data');
      child.stdout!.resume();
      resolve({
        pid: child.pid!,
        url: match[1]!.replace(/\/$/, ''),
        token: decodeURIComponent(match[2]!),
        startedInMs: nowMs() - started,
        child,
        stderr: () => err,
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(timer);
        },
      });
    });
  });
}

/** GET /api/snapshot with the token, as a script would. */
export async function fetchSnapshot(serve: Pick<Serve, 'url' | 'token'>): Promise<Snapshot> {
  const res = await fetch(`${serve.url}/api/snapshot`, { headers: { Authorization: `Bearer ${serve.token}` } });
  if (!res.ok) throw new Error(`GET /api/snapshot: ${res.status}`);
  return (await res.json()) as Snapshot;
}

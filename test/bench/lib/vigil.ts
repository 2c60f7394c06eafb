// Vigil as users run it headless: `node dist/cli.js serve <folders> --port 0`, a child process
// the bench owns. The URL it prints carries the read token.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Snapshot } from '../../../shared/model';
import type { Settings } from '../../../shared/settings';
import { REPO_DIR } from './children';
import { nowMs } from './clock';
import { ensureHostBundle } from './host-bundle';
import { ownChild, tempDir } from './lifetime';

/**
 * The build under test: this repository's, or another one's `dist/cli.js` (BENCH_VIGIL_CLI),
 * so two versions can be measured by the same bench, interleaved, in one machine window.
 */
export const CLI = process.env.BENCH_VIGIL_CLI ? resolve(process.env.BENCH_VIGIL_CLI) : join(REPO_DIR, 'dist', 'cli.js');

export interface Serve {
  pid: number;
  /** What runs: `vigil serve`, or the bench host when serve cannot take the clients. */
  via: string;
  url: string;
  token: string;
  /** ms from spawn to the URL line. */
  startedInMs: number;
  /** Its config folder (tokens, the hook endpoint file, actions, run logs). */
  configDir: string;
  child: ChildProcess;
  /** Everything it wrote to stderr so far (warnings, refusals). */
  stderr(): string;
  stop(): Promise<void>;
}

export interface ServeOptions {
  /** Clients the bench will connect; above serve's cap (64) it needs a way to raise it. */
  clients?: number;
  /** Written to settings.json in the config folder first (e.g. heartbeatMs). */
  settings?: Partial<Settings>;
  /** More files written to the config folder first, by name (e.g. actions.json). */
  configFiles?: Record<string, string>;
  /** Node flags, e.g. ['--cpu-prof', '--cpu-prof-dir', dir] to find out where time goes. */
  execArgv?: string[];
  /** More serve flags, e.g. ['--max-per-token', '200'] when every bench client shares one token. */
  args?: string[];
  timeoutMs?: number;
  /** A config folder prepared beforehand (e.g. holding a vigil.db); by default a fresh empty one. */
  configDir?: string;
  /** Where serve keeps V8's code cache; by default the run's (codeCacheDir()). */
  cacheDir?: string;
}

let ownCacheDir: string | null = null;

/**
 * Where the served Vigil keeps V8's code cache (main/code-cache.ts): the one `npm run bench`
 * made for the whole run (VIGIL_CACHE_DIR), else one of this bench's own, never the user's.
 * As on a user's machine, the first start of the build writes it and later starts use it.
 */
export function codeCacheDir(): string {
  return process.env.VIGIL_CACHE_DIR ?? (ownCacheDir ??= tempDir('code-cache').path);
}

/** `--cpu-prof` for Vigil's server when BENCH_CPU_PROF_DIR names a folder (into `sub` below it, when given). */
export function serverProfileArgs(sub?: string): string[] {
  const dir = process.env.BENCH_CPU_PROF_DIR;
  return dir ? ['--cpu-prof', '--cpu-prof-dir', sub ? join(dir, sub) : dir] : [];
}

/** Why Vigil cannot be run, or null when it can. */
export function serveUnavailable(): string | null {
  if (!existsSync(CLI)) return `${CLI} is missing: run \`npm run build\``;
  return null;
}

/** serve's built-in client cap (main/server/server.ts DEFAULT_MAX_CLIENTS). */
export const SERVE_DEFAULT_MAX_CLIENTS = 64;
let serveHelp: Promise<string> | null = null;

/** `vigil serve --help`, read once: the bench follows the CLI rather than guessing its flags. */
function readServeHelp(): Promise<string> {
  serveHelp ??= promisify(execFile)(process.execPath, [CLI, 'serve', '--help'], { timeout: 15_000 }).then(
    ({ stdout, stderr }) => stdout + stderr,
    (err: { stdout?: string; stderr?: string }) => (err.stdout ?? '') + (err.stderr ?? ''),
  );
  return serveHelp;
}

/** The command line that runs Vigil for `clients` clients: real serve when it can take them. */
async function commandFor(clients: number): Promise<{ argv: string[]; via: string }> {
  const margin = clients + 16;
  const help = await readServeHelp();
  // Every bench client uses the one printed token: let it hold them all.
  const perToken = clients > 0 && /--max-per-token\b/.test(help) ? ['--max-per-token', String(margin)] : [];
  if (clients <= SERVE_DEFAULT_MAX_CLIENTS - 4) return { argv: [CLI, 'serve', ...perToken], via: 'vigil serve (dist/cli.js)' };
  if (/--max-clients\b/.test(help)) return { argv: [CLI, 'serve', '--max-clients', String(margin), ...perToken], via: 'vigil serve --max-clients (dist/cli.js)' };
  return {
    argv: [await ensureHostBundle(), '--max-clients', String(margin)],
    via: `bench host test/bench/procs/vigil-host.ts (serve's parts with maxClients ${margin}: serve has no --max-clients, cap ${SERVE_DEFAULT_MAX_CLIENTS})`,
  };
}

export async function startServe(roots: string[], options: ServeOptions = {}): Promise<Serve> {
  const configDir = options.configDir ?? tempDir('config').path;
  if (options.settings) writeFileSync(join(configDir, 'settings.json'), JSON.stringify(options.settings));
  for (const [name, text] of Object.entries(options.configFiles ?? {})) writeFileSync(join(configDir, name), text);
  const { argv, via } = await commandFor(options.clients ?? 0);
  const started = nowMs();
  const child = spawn(process.execPath, [...(options.execArgv ?? []), ...argv, ...roots, '--port', '0', '--config-dir', configDir, ...(options.args ?? [])], {
    cwd: REPO_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', VIGIL_CACHE_DIR: options.cacheDir ?? codeCacheDir() },
  });
  ownChild(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    if (err.length > 200_000) err = err.slice(-100_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return await new Promise((resolve, reject) => {
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
        via,
        url: match[1]!.replace(/\/$/, ''),
        token: decodeURIComponent(match[2]!),
        startedInMs: nowMs() - started,
        configDir,
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

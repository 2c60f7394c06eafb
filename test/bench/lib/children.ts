// Child processes that take part in a bench (client swarms, writers, baseline watchers),
// spoken to over Node's IPC channel. Each is owned by the bench and killed when it ends.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { ownChild } from './lifetime';

export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_DIR = join(BENCH_DIR, '..', '..');

export interface Message {
  type: string;
  [key: string]: unknown;
}

export interface Child {
  readonly process: ChildProcess;
  readonly pid: number;
  send(msg: Message): void;
  /** Send and wait for the reply carrying the same `rid`. */
  request<R = Message>(msg: Message, timeoutMs?: number): Promise<R>;
  /** The next message of this type. */
  next<R = Message>(type: string, timeoutMs?: number): Promise<R>;
  on(type: string, listener: (msg: Message) => void): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

let nextRid = 1;

/**
 * Start `procs/<script>` with an IPC channel. TypeScript scripts run through tsx; plain .mjs
 * scripts run bare, so a baseline's RSS is not inflated by a loader Vigil does not carry.
 */
export function startChild(script: string, args: string[] = [], options: { execArgv?: string[]; env?: NodeJS.ProcessEnv } = {}): Child {
  const path = join(BENCH_DIR, 'procs', script);
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = fork(path, args, {
    cwd: REPO_DIR,
    execArgv: [...loader, ...(options.execArgv ?? [])],
    env: { ...process.env, ...options.env },
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  ownChild(child);
  const listeners = new Map<string, Set<(msg: Message) => void>>();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.on('message', (raw) => {
    const msg = raw as Message;
    for (const fn of listeners.get(msg.type) ?? []) fn(msg);
  });
  const on = (type: string, fn: (msg: Message) => void) => {
    if (!listeners.has(type)) listeners.set(type, new Set());
    listeners.get(type)!.add(fn);
  };
  const off = (type: string, fn: (msg: Message) => void) => listeners.get(type)?.delete(fn);

  function next<R>(type: string, timeoutMs = 60_000): Promise<R> {
    return new Promise((resolve, reject) => {
      const fn = (msg: Message) => {
        clearTimeout(timer);
        off(type, fn);
        resolve(msg as R);
      };
      const timer = setTimeout(() => {
        off(type, fn);
        reject(new Error(`${script}: no '${type}' within ${timeoutMs} ms`));
      }, timeoutMs);
      on(type, fn);
      child.once('exit', (code) => {
        clearTimeout(timer);
        off(type, fn);
        reject(new Error(`${script} exited (${code}) before '${type}'`));
      });
    });
  }

  return {
    process: child,
    pid: child.pid!,
    send: (msg) => {
      if (child.connected) child.send(msg);
    },
    request<R>(msg: Message, timeoutMs = 60_000): Promise<R> {
      const rid = nextRid++;
      return new Promise((resolve, reject) => {
        const fn = (reply: Message) => {
          if (reply.rid !== rid) return;
          clearTimeout(timer);
          off('reply', fn);
          if (typeof reply.error === 'string') reject(new Error(`${script}: ${reply.error}`));
          else resolve(reply as R);
        };
        const timer = setTimeout(() => {
          off('reply', fn);
          reject(new Error(`${script}: no reply to '${msg.type}' within ${timeoutMs} ms`));
        }, timeoutMs);
        on('reply', fn);
        child.send({ ...msg, rid });
      });
    },
    next,
    on,
    async stop(graceMs = 3000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** For scripts running as children: answer requests of the parent. */
export function serveRequests(handlers: Record<string, (msg: Message) => unknown | Promise<unknown>>): void {
  process.on('message', async (raw) => {
    const msg = raw as Message;
    const handler = handlers[msg.type];
    if (!handler) return;
    try {
      const result = (await handler(msg)) ?? {};
      process.send?.({ type: 'reply', rid: msg.rid, ...(result as object) });
    } catch (err) {
      process.send?.({ type: 'reply', rid: msg.rid, error: err instanceof Error ? err.message : String(err) });
    }
  });
  // The parent going away ends us: a bench never leaves a process behind. SIGTERM (stop())
  // exits through process.exit so a `--cpu-prof` child still writes its profile.
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
}

/** Node flags for a client process: a CPU profile into BENCH_CLIENT_PROF_DIR when it is set. */
export function clientProfArgs(): string[] {
  const dir = process.env.BENCH_CLIENT_PROF_DIR;
  return dir ? ['--cpu-prof', '--cpu-prof-dir', dir] : [];
}

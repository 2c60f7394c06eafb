// A run's processes as one unit: the agent starts as the leader of its own process group, so
// whatever it spawns (a test runner, a dev server, a grandchild that outlives it) is in the
// group, and a cancel reaches all of them with one signal to the group.
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { CommandLine } from './argv';

export type GroupChild = ChildProcessByStdio<null, Readable, Readable>;

const isWindows = process.platform === 'win32';

/** Start `line` in `cwd` as the leader of a new process group, stdout and stderr piped. */
export function spawnGroup(line: CommandLine, cwd: string, env: NodeJS.ProcessEnv): GroupChild {
  return spawn(line.file, line.args, {
    cwd,
    env,
    // POSIX: setsid, so the child leads a new group (and session). Windows has no groups;
    // there the tree is ended with taskkill /T.
    detached: !isWindows,
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
}

/** Send `signal` to every process of the group led by `pid`. False when none is left. */
export function signalGroup(pid: number, signal: 'SIGTERM' | 'SIGKILL'): boolean {
  if (isWindows) {
    // No graceful stop for a console tree on Windows: both signals end it.
    const result = spawnSync('taskkill', ['/PID', String(pid), '/T', '/F'], { windowsHide: true });
    return result.status === 0;
  }
  try {
    process.kill(-pid, signal);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

/** Is any process of the group led by `pid` still alive? */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(isWindows ? pid : -pid, 0);
    return true;
  } catch {
    // ESRCH: gone. EPERM: the id belongs to another user's process now, so not to our run.
    return false;
  }
}

/**
 * When the process `pid` started, as the kernel counts it (Linux: clock ticks since boot), or
 * null where that cannot be read. Kept with a run, so a pid reused by an unrelated process
 * after a crash is not mistaken for the run.
 */
export async function processStartTime(pid: number): Promise<string | null> {
  if (process.platform !== 'linux') return null;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count from after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null; // field 22 overall
  } catch {
    return null;
  }
}

/**
 * Is the run that was led by `pid` (started at `startTime`, when known) still running? The
 * group is checked, not just the pid: a leader that exited may have left its group working.
 */
export async function runStillAlive(pid: number, startTime: string | null): Promise<boolean> {
  if (!groupAlive(pid)) return false;
  if (startTime === null) return true;
  const now = await processStartTime(pid);
  // The leader is gone but its group lives on (now === null): still the run's processes.
  return now === null || now === startTime;
}

// What the kernel says about a process: resident memory, CPU time, inotify watches. Read from
// /proc so the figure is the same for Vigil and for a baseline, whatever runs inside them.
import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

function statusKb(pid: number, field: string): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Resident set size in bytes (VmRSS), or null when the process is gone. */
export const rssBytes = (pid: number): number | null => statusKb(pid, 'VmRSS');

/** The highest RSS the process ever had (VmHWM). */
export const peakRssBytes = (pid: number): number | null => statusKb(pid, 'VmHWM');

let clockTicksPerSecond: number | null = null;
/** USER_HZ, the unit of utime/stime in /proc/<pid>/stat (100 on Linux in practice). */
export function clockTicks(): number {
  if (clockTicksPerSecond === null) {
    try {
      clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicksPerSecond = 100;
    }
  }
  return clockTicksPerSecond;
}

/** utime + stime of the process, in ms. */
export function cpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / clockTicks();
  } catch {
    return null;
  }
}

/** Number of inotify watches the process holds: `inotify wd:` lines over all its fds. */
export function inotifyWatches(pid: number): number {
  let count = 0;
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fdinfo`);
  } catch {
    return 0;
  }
  for (const fd of fds) {
    let info: string;
    try {
      info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
    } catch {
      continue;
    }
    if (!info.includes('inotify wd:')) continue;
    for (const line of info.split('\n')) if (line.startsWith('inotify wd:')) count++;
  }
  return count;
}

/** Watches held by every process of this user: the budget the kernel limit applies to. */
export function userInotifyWatches(): number {
  const uid = process.getuid?.();
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const owner = /^Uid:\s+(\d+)/m.exec(status);
      if (uid !== undefined && owner && Number(owner[1]) !== uid) continue;
    } catch {
      continue;
    }
    total += inotifyWatches(Number(entry));
  }
  return total;
}

export function maxUserWatches(): number {
  try {
    return Number(readFileSync('/proc/sys/fs/inotify/max_user_watches', 'utf8').trim());
  } catch {
    return 8192;
  }
}

/** CPU use of a process over consecutive slices of a window, as % of one core each. */
export async function cpuPercentSlices(pid: number, windowMs: number, slices: number): Promise<number[] | null> {
  const out: number[] = [];
  let before = cpuMs(pid);
  let start = performance.now();
  for (let i = 0; i < slices; i++) {
    await new Promise((resolve) => setTimeout(resolve, windowMs / slices));
    const after = cpuMs(pid);
    const now = performance.now();
    if (before === null || after === null) return null;
    out.push(((after - before) / (now - start)) * 100);
    before = after;
    start = now;
  }
  return out;
}

/** CPU use of a process over a window, as % of one core. */
export async function cpuPercentOver(pid: number, windowMs: number): Promise<number | null> {
  const before = cpuMs(pid);
  const start = performance.now();
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const after = cpuMs(pid);
  const elapsed = performance.now() - start;
  if (before === null || after === null) return null;
  return ((after - before) / elapsed) * 100;
}

/** Share of the last 60 s some task waited for a CPU (Linux PSI): how contended the machine was. */
export function cpuPressure(): string {
  try {
    const some = /^some avg10=([\d.]+) avg60=([\d.]+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    return some ? `${some[1]}% (10 s), ${some[2]}% (60 s)` : '';
  } catch {
    return '';
  }
}

/** Load average, CPU pressure and core count: printed with every result, since the machine is shared. */
export function machine(): { cores: number; loadavg: string; cpuPressure: string; node: string } {
  let loadavg = '';
  try {
    loadavg = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    /* not Linux */
  }
  let cores = 0;
  try {
    cores = readFileSync('/proc/cpuinfo', 'utf8').split('\n').filter((l) => l.startsWith('processor')).length;
  } catch {
    /* not Linux */
  }
  return { cores, loadavg, cpuPressure: cpuPressure(), node: process.version };
}

// Old run logs go with their runs. The journal forgets a run that ended before the history's
// retention period (store/retention.ts); its log, up to 256 MiB of agent output, would stay in
// `<config>/runs/` forever. A log whose last write is older than the retention period belongs to
// such a run: a live run writes its log at least once, and its end line last of all.
//
// Only files named like a run's log are touched, never through a symlink (lstat: a link is
// removed as a link), and never the log of a run this process still has active. A run of another
// process on the same config that has printed nothing for the whole retention period (one day at
// the least) would lose its log; that is the one case this trades away.
import { lstat, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';

const DAY_MS = 24 * 60 * 60 * 1000;
/** `<runId>.log`, run ids as supervisor.ts makes them (`r_` then base-36 time and hex). */
const RUN_LOG_NAME = /^r_[0-9a-z]+\.log$/;

export interface RunLogSweepOptions {
  dir: string;
  retentionDays: number;
  now: number;
  /** Run ids this process still runs or queues: their logs stay whatever their age. */
  activeIds: ReadonlySet<string>;
}

/** Delete the run logs past the retention period; resolves with the names deleted. A missing folder is nothing to sweep. */
export async function sweepRunLogs(options: RunLogSweepOptions): Promise<string[]> {
  const names = await readdir(options.dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  const cutoff = options.now - options.retentionDays * DAY_MS;
  const deleted: string[] = [];
  for (const name of names) {
    if (!RUN_LOG_NAME.test(name) || options.activeIds.has(name.slice(0, -'.log'.length))) continue;
    const path = join(options.dir, name);
    const stat = await lstat(path).catch(() => null);
    if (!stat || !(stat.isFile() || stat.isSymbolicLink()) || stat.mtimeMs >= cutoff) continue;
    try {
      await unlink(path);
      deleted.push(name);
    } catch (err) {
      // Gone already (another process swept it) is what we wanted.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return deleted;
}

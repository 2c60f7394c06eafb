// One writer at a time for each config file, across processes: the CLI, `vigil serve` and the
// desktop app may all change tokens.json or projects.json at once, and a read-modify-write
// that races another loses one of them (a created token that never works, a revoked one that
// still does). proper-lockfile makes the lock an atomic mkdir of `<file>.lock`, refreshed while
// held and taken over when its holder died (stale), which works on local and network disks.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import lockfile from 'proper-lockfile';

/** A lock not refreshed for this long belongs to a process that died: it is taken over. */
const STALE_MS = 10_000;

export class ConfigLockError extends Error {
  constructor(file: string, cause: unknown) {
    super(
      `Another Vigil process has held the lock on ${file} for too long (${cause instanceof Error ? cause.message : String(cause)}). ` +
        `If no other Vigil is running, delete ${file}.lock and try again.`,
    );
    this.name = 'ConfigLockError';
  }
}

/** Run `work` while holding the cross-process lock of `file` (which need not exist yet). */
export async function withFileLock<T>(file: string, work: () => Promise<T>): Promise<T> {
  await mkdir(dirname(file), { recursive: true });
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(file, {
      realpath: false,
      stale: STALE_MS,
      // Waits add up to about 30 s: far longer than any write, short of a hang.
      retries: { retries: 300, minTimeout: 5, maxTimeout: 100, factor: 1.2, randomize: true },
      // Losing the lock mid-write (a suspended laptop) must not crash the process: the write is
      // atomic anyway, and the next one takes the lock again.
      onCompromised: () => undefined,
    });
  } catch (err) {
    throw new ConfigLockError(file, err);
  }
  try {
    return await work();
  } finally {
    await release().catch(() => undefined);
  }
}

// File descriptors are a process-wide budget shared by the server's sockets, the watchers, the
// log tails and every file read. This module knows the limit, how many Vigil keeps for its own
// reads, and when a read last ran out (EMFILE/ENFILE), so health can say so with the limit and
// how to raise it instead of leaving changes to the drift sweep.
import { readFileSync } from 'node:fs';

/** Descriptors kept for Vigil's own reads, watchers, tails and config writes; clients get the rest. */
export const DESCRIPTOR_RESERVE = 96;
/** Below this soft limit Vigil cannot serve anyone and refuses to start. */
export const MIN_DESCRIPTORS = 128;

let lastExhaustedAt: number | null = null;
let exhaustionCount = 0;

/** A read failed with EMFILE/ENFILE: remember when, for the health warning. */
export function noteDescriptorExhaustion(at: number = Date.now()): void {
  lastExhaustedAt = at;
  exhaustionCount += 1;
}

/** When a read last ran out of descriptors (null: never), and how often it has. */
export function descriptorExhaustion(): { lastAt: number | null; count: number } {
  return { lastAt: lastExhaustedAt, count: exhaustionCount };
}

/** Forget past exhaustion (tests). */
export function resetDescriptorExhaustion(): void {
  lastExhaustedAt = null;
  exhaustionCount = 0;
}

/**
 * The soft limit on open files of this process (`ulimit -n`), or null where it cannot be read
 * without a native module (only Linux exposes it as a file).
 */
export function openFileLimit(limitsText?: string): number | null {
  let text = limitsText;
  if (text === undefined) {
    if (process.platform !== 'linux') return null;
    try {
      text = readFileSync('/proc/self/limits', 'utf8');
    } catch {
      return null;
    }
  }
  const line = text.split('\n').find((l) => l.startsWith('Max open files'));
  const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
  if (soft === undefined) return null;
  if (soft === 'unlimited') return Number.POSITIVE_INFINITY;
  const n = Number(soft);
  return Number.isFinite(n) && n > 0 ? n : null;
}

/** What to tell a person whose limit is too low: the limit and how to raise it. */
export function raiseLimitHint(limit: number | null): string {
  const now = limit === null ? 'the open-file limit' : `the open-file limit (${limit}, \`ulimit -n\`)`;
  return (
    `Raise ${now}: \`ulimit -n 65536\` in the shell that starts Vigil, LimitNOFILE=65536 for a systemd service, ` +
    '`launchctl limit maxfiles` on macOS; then restart Vigil.'
  );
}

/** Why Vigil cannot start with `limit` descriptors, or null when it can. */
export function descriptorStartupProblem(limit: number | null = openFileLimit()): string | null {
  if (limit === null || limit >= MIN_DESCRIPTORS) return null;
  return `Only ${limit} open files are allowed to this process; Vigil needs at least ${MIN_DESCRIPTORS} to watch projects and serve clients. ${raiseLimitHint(limit)}`;
}

/** How many client connections fit in `limit` descriptors once the reserve is kept. */
export function connectionBudget(limit: number | null = openFileLimit()): number {
  if (limit === null || !Number.isFinite(limit)) return Number.POSITIVE_INFINITY;
  return Math.max(1, limit - DESCRIPTOR_RESERVE);
}

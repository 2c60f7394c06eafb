// Everything a bench creates that outlives a function call (temp folders, child processes)
// is registered here and removed on every way out: normal end, error, Ctrl-C, the watchdog.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';

type Cleanup = () => void;
const cleanups: Cleanup[] = [];
let installed = false;

/** Run every cleanup once, newest first. Synchronous so it also works from 'exit'. */
export function cleanupAll(): void {
  while (cleanups.length > 0) {
    const fn = cleanups.pop()!;
    try {
      fn();
    } catch {
      /* keep cleaning the rest */
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', cleanupAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      cleanupAll();
      process.exit(130);
    });
  }
}

export function onCleanup(fn: Cleanup): () => void {
  install();
  cleanups.push(fn);
  return () => {
    const i = cleanups.indexOf(fn);
    if (i >= 0) cleanups.splice(i, 1);
    fn();
  };
}

/** A fresh folder under os.tmpdir(), removed at exit. Returns [path, remove]. */
export function tempDir(label: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `vigil-bench-${label}-`));
  const remove = onCleanup(() => rmSync(path, { recursive: true, force: true }));
  return { path, remove };
}

/** Kill this child (by its pid, nothing else) when the bench ends. */
export function ownChild(child: ChildProcess): void {
  onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });
}

/** End the process if a bench overruns its budget, so `npm run bench` always finishes. */
export function watchdog(label: string, ms: number): void {
  install();
  setTimeout(() => {
    process.stderr.write(`${label}: exceeded its ${Math.round(ms / 1000)} s budget, stopping\n`);
    cleanupAll();
    process.exit(3);
  }, ms).unref();
}

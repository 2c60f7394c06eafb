// Which files of a project a client may follow as a log. Only what Vigil itself lists as a
// log: the work-order logs its sources name (coderef `workorder-log.txt`), `*.log` files inside
// the convention folders it watches, and whatever other modules register (run logs). A read
// token can follow those and nothing else — not `.env`, not a source file, not a key.
import { realpath } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import type { Closable } from './api';
import { PathGuardError, resolveInside } from './path-guard';
import { openInsideRoot } from './safe-open';
import type { ProjectScope } from './scope';
import { EngineError } from './errors';

/** Logs every project may have, whether or not an item names them yet. */
const WELL_KNOWN_LOGS = new Set(['coderef/workorder-log.txt']);

/** The project a log is asked for, as the allow-list sees it. */
export interface LogProject {
  id: string;
  /** The project's real root. */
  root: string;
  /** The log paths the project's items name (a work order's `logPath`). */
  namedLogs(): Iterable<string>;
}

/** Says whether `rel` (root-relative, forward slashes, after symlinks inside the root are resolved) is a log of `project`. */
export type LogPathRule = (project: LogProject, rel: string) => boolean;

export class LogPaths {
  private readonly rules = new Set<LogPathRule>();

  constructor(private readonly scope: ProjectScope) {}

  /** Let more files be followed as logs (the run supervisor's run logs); close to take it back. */
  register(rule: LogPathRule): Closable {
    this.rules.add(rule);
    return { close: () => this.rules.delete(rule) };
  }

  /** Is `rel` a file Vigil lists as a log of `project`? */
  allows(project: LogProject, rel: string): boolean {
    if (rel === '' || rel.endsWith('/')) return false;
    if (WELL_KNOWN_LOGS.has(rel)) return true;
    for (const named of project.namedLogs()) if (named === rel) return true;
    // A `.log` inside a convention folder (not at the root: the root is the whole repository).
    if (rel.endsWith('.log') && rel.includes('/') && this.scope.seesFile(rel)) return true;
    for (const rule of this.rules) {
      try {
        if (rule(project, rel)) return true;
      } catch {
        // A rule that throws allows nothing.
      }
    }
    return false;
  }
}

/** A log a client may follow: the project's real root and the file's real path under it. */
export interface ResolvedLog {
  rootReal: string;
  rel: string;
}

/** A refusal the server shows as `forbidden`. */
function forbidden(message: string): EngineError {
  return new EngineError('forbidden', message);
}

/**
 * Check a log path a client asked for: inside the root (path-guard, symlinks resolved), a file
 * Vigil lists as a log, and, when it exists, a regular file that opens inside the root (so a
 * named pipe or a link out is refused now, with a reason, not only when it is read). A log
 * that does not exist yet is allowed: it is read when it appears, checked again then.
 */
export async function resolveLog(logPaths: LogPaths, project: LogProject, relPath: string): Promise<ResolvedLog> {
  const abs = await resolveInside(project.root, relPath);
  const rootReal = await realpath(project.root);
  const rel = relative(rootReal, abs).split(sep).join('/');
  if (!logPaths.allows(project, rel)) {
    throw forbidden(
      `${JSON.stringify(relPath)} is not a log Vigil lists for this project; only work-order logs, run logs and *.log files in planning folders can be followed.`,
    );
  }
  try {
    const { handle } = await openInsideRoot(rootReal, rel);
    await handle.close();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { rootReal, rel };
    if (err instanceof PathGuardError) throw forbidden(err.message);
    if (code === 'ELOOP') throw forbidden(`${JSON.stringify(relPath)} is a symbolic link; logs are followed only as regular files.`);
    throw err;
  }
  return { rootReal, rel };
}

/** A live project as the allow-list sees it: its root and the logs its work orders name. */
export function logProjectOf(live: { id: string; root: string; model: { workorders(): { logPath: string | null }[] } }): LogProject {
  return {
    id: live.id,
    root: live.root,
    *namedLogs() {
      for (const workorder of live.model.workorders()) if (workorder.logPath !== null) yield workorder.logPath;
    },
  };
}

// Followed log files: the lines we hold for each, merged from `log` messages. Pure, like the
// live model: a resubscribe after a reconnect resends the backlog, and line numbers keep
// those repeats out.
import type { LogLine, LogMessage } from '../../shared/protocol';
import { logKey } from './keys';

/** Lines kept per log; older ones are dropped (and the panel says so). */
export const LOG_LINE_LIMIT = 20_000;

export interface LogBuffer {
  projectId: string;
  path: string;
  lines: LogLine[];
  /** Older lines exist that we do not hold. */
  truncated: boolean;
  /** ms since epoch of the last message that brought lines. */
  lastLineAt: number | null;
  /** How many times the file was truncated or replaced while we followed it. */
  resets: number;
}

export type LogTable = Record<string, LogBuffer>;

export function applyLog(logs: LogTable, msg: LogMessage, now: number = Date.now()): LogTable {
  const key = logKey(msg.projectId, msg.path);
  const before = logs[key];
  const lastN = before && before.lines.length > 0 ? before.lines[before.lines.length - 1]!.n : 0;
  // Only the server knows the file was truncated: a backlog resent after a resubscribe also starts at line 1.
  const restarted = msg.reset === true;
  const base = restarted || !before ? [] : before.lines;
  const fresh = restarted ? msg.lines : msg.lines.filter((line) => line.n > lastN);
  if (before && !restarted && fresh.length === 0 && !msg.truncated) return logs;
  const merged = fresh.length > 0 ? [...base, ...fresh] : base;
  const dropped = Math.max(0, merged.length - LOG_LINE_LIMIT);
  const lines = dropped > 0 ? merged.slice(dropped) : merged;
  const buffer: LogBuffer = {
    projectId: msg.projectId,
    path: msg.path,
    lines,
    truncated: dropped > 0 || msg.truncated === true || (!restarted && (before?.truncated ?? false)),
    lastLineAt: fresh.length > 0 ? now : (before?.lastLineAt ?? null),
    resets: (before?.resets ?? 0) + (restarted && before ? 1 : 0),
  };
  return { ...logs, [key]: buffer };
}

/** Forget a log we no longer follow. */
export function dropLog(logs: LogTable, projectId: string, path: string): LogTable {
  const key = logKey(projectId, path);
  if (!(key in logs)) return logs;
  const next = { ...logs };
  delete next[key];
  return next;
}

/**
 * The lines of one work order in a shared log (coderef's workorder-log.txt): the lines whose
 * first `|` field is its id. Lines of other work orders, and lines that are not events, are left out.
 */
export function linesOfWorkorder(lines: readonly LogLine[], workorderId: string): LogLine[] {
  return lines.filter((line) => {
    const bar = line.text.indexOf('|');
    return bar > 0 && line.text.slice(0, bar).trim() === workorderId;
  });
}


// `vigil history [folder…] [--since 24h] [--json] [--config-dir D]`: print the journal that
// `vigil serve` and the desktop app keep in vigil.db, oldest first — every event, or only
// those of the given project folders. NDJSON with --json (one event per line, as
// `vigil watch --json` prints them). Reads only: safe while Vigil is running.
import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { EngineEvent } from '../../shared/protocol';
import { defaultConfigDir } from '../engine/config-dir';
import { projectIdFor } from '../engine/project-id';
import { closeQuietly, openJournalForReading } from '../store/database';
import { subject } from '../store/journal';
import { HistoryQueries } from '../store/queries';
import { errorText } from '../store/sqlite';
import { parseCommandArgs, usageError } from './args';
import { HISTORY } from './specs';

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
const PAGE = 1000;

/** `24h` → 24 hours before `now`; a date or ISO time → that instant; null when it is neither. */
export function parseSince(text: string, now: number): number | null {
  const relative = /^(\d+)\s*([smhdw])$/.exec(text.trim());
  if (relative) return now - Number(relative[1]) * (UNITS[relative[2] as string] as number);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : at;
}

function describe(event: EngineEvent): string {
  switch (event.type) {
    case 'item:status': {
      const t = event.payload;
      return `${t.kind} "${t.title}": ${t.from ?? 'new'} → ${t.to}`;
    }
    case 'plan:added':
    case 'plan:updated':
      return `${event.type} "${event.payload.plan.title}" (${event.payload.plan.status})`;
    case 'stub:added':
    case 'stub:updated':
      return `${event.type} "${event.payload.stub.title}"`;
    case 'workorder:added':
    case 'workorder:updated':
      return `${event.type} ${event.payload.workorder.id} "${event.payload.workorder.title}"`;
    case 'plan:removed':
    case 'stub:removed':
    case 'workorder:removed':
      return `${event.type} ${event.payload.id}`;
    case 'project:added':
    case 'project:updated': {
      const p = event.payload.project;
      return `${event.type} (${p.progress.done}/${p.progress.total} done)`;
    }
    case 'project:state':
      return `project:state ${event.payload.from} → ${event.payload.to}`;
    case 'parse:issue':
      return event.payload.issues.length === 0 ? `issues cleared in ${event.payload.path}` : `${event.payload.issues.length} issue(s) in ${event.payload.path}: ${event.payload.issues[0]?.message ?? ''}`;
    case 'health:changed':
      return `health ${event.payload.health.level}${event.payload.health.conditions[0] ? `: ${event.payload.health.conditions[0].message}` : ''}`;
    case 'throughput:changed':
      return `throughput ${event.payload.throughput.finishedLastHour} done, ${event.payload.throughput.failedLastHour} failed in the last hour`;
    case 'engine:state':
      return event.payload.running ? 'engine started' : 'engine stopped';
    default:
      return (event as EngineEvent).type;
  }
}

function line(event: EngineEvent, names: Map<string, string>): string {
  const { projectId } = subject(event);
  const where = projectId ? `${names.get(projectId) ?? projectId}  ` : '';
  const found = event.foundOnStart ? '  (found on start)' : '';
  return `${new Date(event.ts).toISOString()}  #${event.seq}  ${where}${describe(event)}${found}\n`;
}

export async function run(args: string[], now: number = Date.now()): Promise<number> {
  const parsed = parseCommandArgs(HISTORY, args);
  if (typeof parsed === 'number') return parsed;
  const since = parseSince(parsed.values.since ?? '24h', now);
  if (since === null) return usageError('history', `--since must be like 30m, 24h, 7d or a date, not ${JSON.stringify(parsed.values.since)}`);
  const configDir = parsed.values['config-dir'] ?? defaultConfigDir();

  let projectIds: string[] | undefined;
  if (parsed.positionals.length > 0) {
    projectIds = [];
    for (const folder of parsed.positionals) {
      const real = await realpath(resolve(folder)).catch(() => resolve(folder));
      projectIds.push(projectIdFor(real));
    }
  }

  let opened;
  try {
    opened = openJournalForReading(configDir);
  } catch (err) {
    process.stderr.write(`vigil history: cannot read the history in ${configDir}: ${errorText(err)}\n`);
    return 1;
  }
  if (!opened) {
    process.stderr.write(
      `vigil history: no history in ${configDir} yet. \`vigil serve\` and the desktop app record it there (use --config-dir for another folder).\n`,
    );
    return 1;
  }
  try {
    const queries = new HistoryQueries(opened.db);
    const names = queries.projectNames();
    let afterSeq = 0;
    let printed = 0;
    for (;;) {
      const page = queries.forward({ afterSeq, since, projectIds, limit: PAGE });
      for (const event of page) {
        if (event.type === 'project:added' || event.type === 'project:updated') names.set(event.payload.project.id, event.payload.project.name);
        const text = parsed.values.json ? `${JSON.stringify(event)}\n` : line(event, names);
        if (!process.stdout.write(text)) await new Promise((done) => process.stdout.once('drain', done));
      }
      printed += page.length;
      const last = page.at(-1);
      if (!last || page.length < PAGE) break;
      afterSeq = last.seq;
    }
    if (printed === 0 && !parsed.values.json) process.stderr.write(`vigil history: nothing recorded since ${new Date(since).toISOString()}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`vigil history: reading ${opened.path} failed: ${errorText(err)}\n`);
    return 1;
  } finally {
    closeQuietly(opened.db);
  }
}

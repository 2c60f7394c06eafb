// `vigil runs [--active] [--json] [--config-dir D]`: the runs Vigil started, newest first. From
// the running `vigil serve` when there is one (its live view, with a short-lived read token);
// otherwise from the history database (vigil.db in the config folder), read only. `--json` prints one document:
// {"runs":[{id, projectId, action, itemId, state, exitCode, attempt, startedAt, endedAt, logPath}]}.
import type { Run } from '../../shared/model';
import { defaultConfigDir } from '../engine/config-dir';
import { selectRuns, hasRunsTable } from '../runs/run-table';
import { findRunningServe, type ServeRecord } from '../server/serve-record';
import { closeQuietly, openJournalForReading } from '../store/database';
import { TokenStore } from '../server/tokens';
import { parseCommandArgs } from './args';
import { RUNS } from './specs';

const say = (line: string): void => void process.stderr.write(`vigil runs: ${line}\n`);

/** The fields of the public `--json` shape, in its order. */
export function publicRun(run: Run): Pick<Run, 'id' | 'projectId' | 'action' | 'itemId' | 'state' | 'exitCode' | 'attempt' | 'startedAt' | 'endedAt' | 'logPath'> {
  const { id, projectId, action, itemId, state, exitCode, attempt, startedAt, endedAt, logPath } = run;
  return { id, projectId, action, itemId, state, exitCode, attempt, startedAt, endedAt, logPath };
}

async function fromServe(serve: ServeRecord, configDir: string, active: boolean): Promise<Run[]> {
  const tokens = await TokenStore.open(configDir);
  const { token, secret } = await tokens.create('read', 'cli');
  try {
    const deadline = Date.now() + 5000;
    for (;;) {
      const res = await fetch(`${serve.url}api/runs${active ? '?active=1' : ''}`, { headers: { Authorization: `Bearer ${secret}` } });
      // The server sees a new token within moments of it being written.
      if (res.status === 401 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      if (!res.ok) throw new Error(`the running Vigil answered ${res.status}`);
      return ((await res.json()) as { runs: Run[] }).runs;
    }
  } finally {
    await tokens.revoke(token.id).catch(() => undefined);
    await tokens.close();
  }
}

/** No Vigil is running: the runs kept in the history database (read only, so safe beside a writer). */
function fromHistory(configDir: string, active: boolean): Run[] {
  const opened = openJournalForReading(configDir);
  if (!opened) return [];
  try {
    return hasRunsTable(opened.db) ? selectRuns(opened.db, { active, limit: 1000 }) : [];
  } finally {
    closeQuietly(opened.db);
  }
}

function when(ms: number | null): string {
  return ms === null ? '—' : new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(RUNS, args);
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  const configDir = values['config-dir'] ?? defaultConfigDir();
  const active = values.active ?? false;
  let runs: Run[] = [];
  const serve = await findRunningServe(configDir);
  if (serve) {
    try {
      runs = await fromServe(serve, configDir, active);
    } catch (err) {
      say(`could not ask the running Vigil at ${serve.url}: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    }
  } else {
    try {
      runs = fromHistory(configDir, active);
    } catch (err) {
      say(`cannot read the runs in ${configDir}: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    }
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ runs: runs.map(publicRun) })}\n`);
    return 0;
  }
  if (runs.length === 0) {
    process.stdout.write(active ? 'No runs are queued or running.\n' : 'No runs yet. Start one with `vigil run <folder> <action>`.\n');
    return 0;
  }
  const rows = runs.map((r) => [r.id, r.state, r.exitCode === null ? '' : String(r.exitCode), r.action, r.itemId ?? '', String(r.attempt), when(r.startedAt ?? r.queuedAt)]);
  const header = ['ID', 'STATE', 'EXIT', 'ACTION', 'ITEM', 'TRY', 'STARTED'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  for (const row of [header, ...rows]) process.stdout.write(`${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}\n`);
  return 0;
}

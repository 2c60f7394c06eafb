// Old run logs go with their runs: past the history's retention period they are deleted, while a
// recent log, the log of a run still going, and anything not named like a run log stay.
import { existsSync, lutimesSync, mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { sweepRunLogs } from '../../../main/runs/run-log-sweep';
import { tempDir, waitUntil } from '../engine/live-helpers';
import { runsWorld, type RunsWorld } from './runs-world';

const DAY_MS = 24 * 60 * 60 * 1000;
const NOW = Date.parse('2026-12-01T12:00:00Z');

function age(path: string, days: number, now = NOW): void {
  const at = (now - days * DAY_MS) / 1000;
  utimesSync(path, at, at);
}

let world: RunsWorld | undefined;
const folders: { remove: () => void }[] = [];
afterEach(async () => {
  await world?.close();
  world = undefined;
  for (const folder of folders.splice(0)) folder.remove();
});

function folder(prefix: string): string {
  const made = tempDir(prefix);
  folders.push(made);
  return made.path;
}

describe('sweeping run logs', () => {
  test('deletes logs older than the retention period and keeps recent, active and foreign ones', async () => {
    const dir = folder('vigil-run-logs-');
    const outside = folder('vigil-outside-');
    const write = (name: string, days: number): string => {
      const path = join(dir, name);
      writeFileSync(path, '[10:00:00] hello\n');
      age(path, days);
      return path;
    };
    write('r_old1a2b.log', 91);
    write('r_recent9f.log', 89);
    write('r_active77.log', 200);
    write('notes.log', 400);
    write('r_old1a2b.log.bak', 400);
    mkdirSync(join(dir, 'r_folder12.log'));
    age(join(dir, 'r_folder12.log'), 400);
    // A link named like a log, to a file outside: the link goes, its target stays.
    const target = join(outside, 'precious.txt');
    writeFileSync(target, 'keep me');
    symlinkSync(target, join(dir, 'r_link5e.log'));
    const linkAt = (NOW - 100 * DAY_MS) / 1000;
    lutimesSync(join(dir, 'r_link5e.log'), linkAt, linkAt);

    const deleted = await sweepRunLogs({ dir, retentionDays: 90, now: NOW, activeIds: new Set(['r_active77']) });

    expect(deleted.sort()).toEqual(['r_link5e.log', 'r_old1a2b.log']);
    expect(existsSync(join(dir, 'r_recent9f.log'))).toBe(true);
    expect(existsSync(join(dir, 'r_active77.log'))).toBe(true);
    expect(existsSync(join(dir, 'notes.log'))).toBe(true);
    expect(existsSync(join(dir, 'r_old1a2b.log.bak'))).toBe(true);
    expect(existsSync(join(dir, 'r_folder12.log'))).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('keep me');
  });

  test('a missing runs folder is nothing to sweep', async () => {
    const dir = join(folder('vigil-run-logs-'), 'runs');
    await expect(sweepRunLogs({ dir, retentionDays: 1, now: NOW, activeIds: new Set() })).resolves.toEqual([]);
  });

  test("a served process sweeps on its own: a finished run's old log goes, a running one's stays", async () => {
    world = await runsWorld({ logSweep: { afterMs: 60 * 60 * 1000 } });
    await world.addActions(
      { id: 'quick', argv: [...world.agent, 'lines', '1', '1', '0'] },
      { id: 'long', argv: [...world.agent, 'hang'] },
    );
    const finished = await world.runs.start({ projectId: world.projectId, action: 'quick' }, 'test');
    await world.recorder.waitFor('run:succeeded', (e) => e.payload.run.id === finished.id);
    const running = await world.runs.start({ projectId: world.projectId, action: 'long' }, 'test');
    await waitUntil(() => existsSync(running.logPath), 10_000, 'the running log');
    const settings = world.config.settings();
    const now = Date.now();
    age(finished.logPath, settings.history.retentionDays + 1, now);
    age(running.logPath, settings.history.retentionDays + 1, now);

    expect(await world.runs.sweepLogs()).toEqual([`${finished.id}.log`]);
    expect(existsSync(finished.logPath)).toBe(false);
    expect(existsSync(running.logPath)).toBe(true);
  });
});

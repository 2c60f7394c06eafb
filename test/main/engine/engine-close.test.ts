// engine.close() releases everything it started: watchers (native and polling), timers
// (heartbeat, drift sweep, missing-root poll, coalescer windows), and log tails. Proven two
// ways: the process's active resources return to what they were, and a child process that
// runs the engine exits on its own once the engine is closed.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { createEngine } from '../../../main/engine/engine';
import { openInotify } from '../../../main/engine/inotify';
import { inotifyDescriptors, Recorder, speckitFeature, tempDir, waitUntil, writeFiles } from './live-helpers';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const HANDLE_KINDS = ['FSEventWrap', 'StatWatcher', 'Timeout', 'FileHandle'];
function handleCounts(): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(HANDLE_KINDS.map((k) => [k, 0]));
  for (const kind of process.getActiveResourcesInfo()) if (kind in counts) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

describe('engine.close()', () => {
  test('leaves no watcher, timer or file handle behind', async () => {
    const baseline = handleCounts();
    const inotifyBefore = process.platform === 'linux' ? inotifyDescriptors() : 0;
    const watched = tempDir();
    const polled = tempDir();
    const gone = tempDir();
    cleanups.push(watched.remove, polled.remove, gone.remove);
    writeFiles(watched.path, { ...speckitFeature(), 'coderef/workorder-log.txt': 'WO-A-B-001 | p | start | 2025-01-01T00:00:00Z\n' });
    writeFiles(polled.path, speckitFeature());
    gone.remove(); // a project whose root is missing: its presence poll must stop too

    const engine = await createEngine({ roots: [watched.path, gone.path], heartbeatMs: 20, driftSweepMs: 30, missingPollMs: 20 });
    const rec = new Recorder();
    engine.hub.addSink(rec);
    await engine.addProject(polled.path);
    const id = engine.projects().find((p) => p.root.endsWith(watched.path.split('/').pop() as string))?.id as string;
    const log = await engine.subscribeLog(id, 'coderef/workorder-log.txt', () => undefined);
    writeFileSync(join(watched.path, 'specs/001-user-login/tasks.md'), speckitFeature([true, false, false])['specs/001-user-login/tasks.md'] as string);
    await rec.waitFor('item:status');
    // Folders are watched: with inotify where Linux has it, else with fs.watch.
    if (openInotify()) expect(openInotify()?.watchCount).toBeGreaterThan(0);
    else expect(handleCounts().FSEventWrap).toBeGreaterThan(baseline.FSEventWrap ?? 0);

    void log; // closed by the engine, not by us
    await engine.close();
    // Handles close on the next turns of the loop (and a polling watcher's timers within 1 s).
    await waitUntil(
      () => HANDLE_KINDS.every((k) => (handleCounts()[k] ?? 0) <= (baseline[k] ?? 0)),
      5000,
      `handles back to ${JSON.stringify(baseline)} (now ${JSON.stringify(handleCounts())})`,
    );
    expect(openInotify()?.watchCount ?? 0).toBe(0);
    // The inotify read ends and its descriptor is closed.
    if (process.platform === 'linux') await waitUntil(() => inotifyDescriptors() === inotifyBefore, 5000, 'the inotify descriptor closed');
  });

  test('a process that ran the engine exits on its own after close', async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    writeFiles(dir.path, speckitFeature());
    const engineModule = fileURLToPath(new URL('../../../main/engine/engine.ts', import.meta.url));
    const script = join(dir.path, 'run-engine.mts');
    writeFileSync(
      script,
      `
import { writeFileSync } from 'node:fs';
import { createEngine } from ${JSON.stringify(engineModule)};
const root = ${JSON.stringify(dir.path)};
const engine = await createEngine({ roots: [root], heartbeatMs: 20, driftSweepMs: 50, missingPollMs: 20 });
const id = engine.projects()[0].id;
await engine.subscribeLog(id, 'coderef/workorder-log.txt', () => {});
await new Promise((resolve) => {
  engine.hub.addSink({ deliver: (b) => { if (b.some((e) => e.type === 'item:status')) resolve(); }, overflow() {} });
  writeFileSync(root + '/specs/001-user-login/tasks.md', '- [X] T001 done\\n- [ ] T002 not\\n');
});
await engine.close();
process.stdout.write('closed\\n');
// No process.exit(): the process must end because nothing is left open.
`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`The engine process did not exit on its own within 15 s (stdout: ${out}; stderr: ${err})`));
      }, 15_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(err.replace(/npm warn.*\n/g, '')).toBe('');
    expect(out).toBe('closed\n');
    expect(code).toBe(0);
  });
});

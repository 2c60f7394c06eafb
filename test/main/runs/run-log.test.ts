// A run's log file: every line kept in order, and a chatty agent written at most once every two
// frames (each write is also a message to every client following the run).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { RunLog, WRITE_GAP_MS } from '../../../main/runs/run-log';
import { tempDir } from '../engine/live-helpers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openLog(onWritten: (text: string) => void): Promise<RunLog> {
  const dir = tempDir('vigil-run-log-');
  cleanups.push(dir.remove);
  const log = await RunLog.open(join(dir.path, 'runs', 'run_1.log'), { onWritten });
  cleanups.push(() => log.close());
  return log;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('lines that come on every turn of the event loop are written at most once every WRITE_GAP_MS, all of them, in order', async () => {
  const writes: string[] = [];
  const log = await openLog((text) => writes.push(text));
  const started = performance.now();
  for (let i = 0; i < 300; i++) {
    log.line(`line ${i}`);
    await nextTurn();
  }
  await log.flush();
  const elapsed = performance.now() - started;

  // One write per turn would be ~300; WRITE_GAP_MS apart, no more than the gaps that passed (+1 for
  // the first line, written at once, and +1 for the flush).
  expect(writes.length).toBeLessThanOrEqual(Math.floor(elapsed / WRITE_GAP_MS) + 2);
  const lines = readFileSync(log.path, 'utf8').trimEnd().split('\n');
  expect(lines.map((l) => l.replace(/^\[\d\d:\d\d:\d\d\] /, ''))).toEqual(Array.from({ length: 300 }, (_, i) => `line ${i}`));
});

test('a line after a quiet spell is written at once; one within the gap waits for the gap to end', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  const writes: string[] = [];
  let told: () => void = () => undefined;
  const log = await openLog((text) => {
    writes.push(text);
    told();
  });
  const written = (): Promise<void> => new Promise((resolve) => (told = resolve));

  let next = written();
  log.line('first');
  await next; // no timer was advanced: it went out on the next turn
  expect(writes).toHaveLength(1);

  next = written();
  log.line('second');
  await nextTurn();
  await nextTurn();
  expect(vi.getTimerCount()).toBe(1); // held for the rest of the gap
  expect(writes).toHaveLength(1);
  vi.advanceTimersByTime(WRITE_GAP_MS);
  await next;
  expect(writes[1]).toMatch(/ second\n$/);
});

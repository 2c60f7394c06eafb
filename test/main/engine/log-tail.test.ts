import { appendFile, mkdtemp, rename, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { LogMessage } from '../../../shared/protocol';
import { LogTailer, extractTimestamp, type LogTailerOptions } from '../../../main/engine/log-tail';

let dir: string;
let file: string;
const tailers: LogTailer[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-tail-'));
  file = join(dir, 'workorder-log.txt');
});

afterEach(async () => {
  for (const t of tailers.splice(0)) t.close();
  vi.useRealTimers();
  await rm(dir, { recursive: true, force: true });
});

function tailer(options: Partial<LogTailerOptions> = {}): LogTailer {
  const t = new LogTailer({ root: dir, rel: 'workorder-log.txt', projectId: 'p1', relPath: 'coderef/workorder-log.txt', pollMs: 0, ...options });
  tailers.push(t);
  return t;
}

/** Subscribe, wait for the first read, and collect every message after it. */
async function follow(t: LogTailer): Promise<LogMessage[]> {
  const got: LogMessage[] = [];
  t.subscribe((msg) => got.push(msg));
  await t.loaded();
  return got;
}

const texts = (msg: LogMessage | undefined): string[] => (msg?.lines ?? []).map((l) => l.text);

describe('LogTailer', () => {
  test('sends lines appended after subscribing, numbered on from the backlog', async () => {
    await writeFile(file, 'one\ntwo\n');
    const t = tailer();
    const got = await follow(t);
    expect(t.backlog()).toEqual({
      projectId: 'p1',
      path: 'coderef/workorder-log.txt',
      lines: [
        { n: 1, text: 'one' },
        { n: 2, text: 'two' },
      ],
    });
    expect(got).toEqual([]);
    await appendFile(file, 'three\nfour\n');
    await t.poke();
    expect(got).toEqual([
      {
        projectId: 'p1',
        path: 'coderef/workorder-log.txt',
        lines: [
          { n: 3, text: 'three' },
          { n: 4, text: 'four' },
        ],
      },
    ]);
    await t.poke();
    expect(got).toHaveLength(1);
  });

  test('a file that does not exist yet is picked up when it appears', async () => {
    const t = tailer();
    const got = await follow(t);
    expect(t.backlog().lines).toEqual([]);
    await t.poke();
    expect(got).toEqual([]);
    await writeFile(file, 'hello\n');
    await t.poke();
    expect(got).toHaveLength(1);
    expect(got[0]?.lines).toEqual([{ n: 1, text: 'hello' }]);
    expect(got[0]?.reset).toBeUndefined();
  });

  test('a truncated file resets and starts again from line 1', async () => {
    await writeFile(file, 'a\nb\nc\n');
    const t = tailer();
    const got = await follow(t);
    await truncate(file, 0);
    await appendFile(file, 'new\n');
    await t.poke();
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ reset: true, lines: [{ n: 1, text: 'new' }] });
    expect(t.backlog().lines).toEqual([{ n: 1, text: 'new' }]);
  });

  test('a rotated file (renamed away, a new one created) resets', async () => {
    await writeFile(file, 'old 1\nold 2\nold 3\nold 4\n');
    const t = tailer();
    const got = await follow(t);
    await rename(file, `${file}.1`);
    await writeFile(file, 'fresh 1\nfresh 2\nfresh 3\nfresh 4\nfresh 5\n');
    await t.poke();
    expect(got).toHaveLength(1);
    expect(got[0]?.reset).toBe(true);
    expect(texts(got[0])).toEqual(['fresh 1', 'fresh 2', 'fresh 3', 'fresh 4', 'fresh 5']);
    expect(got[0]?.lines[0]?.n).toBe(1);
  });

  test('a file deleted and created again is read from its start', async () => {
    await writeFile(file, 'first life\n');
    const t = tailer();
    const got = await follow(t);
    await unlink(file);
    await t.poke();
    expect(got).toEqual([]);
    await writeFile(file, 'second life, longer than the first\n');
    await t.poke();
    expect(got[0]).toMatchObject({ reset: true, lines: [{ n: 1, text: 'second life, longer than the first' }] });
  });

  test('a very long line is cut and marked truncated, the next line is whole', async () => {
    await writeFile(file, '');
    const t = tailer({ maxLineChars: 100 });
    const got = await follow(t);
    await appendFile(file, `${'x'.repeat(300_000)}\nshort\n`);
    await t.poke();
    const lines = got.flatMap((m) => m.lines);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({ n: 1, text: 'x'.repeat(100), truncated: true });
    expect(lines[1]).toEqual({ n: 2, text: 'short' });
  });

  test('a partial last line is held until its newline arrives', async () => {
    await writeFile(file, 'done\nhalf');
    const t = tailer();
    const got = await follow(t);
    expect(texts(t.backlog())).toEqual(['done']);
    await appendFile(file, ' way');
    await t.poke();
    expect(got).toEqual([]);
    await appendFile(file, ' there\n');
    await t.poke();
    expect(got[0]?.lines).toEqual([{ n: 2, text: 'half way there' }]);
  });

  test('CRLF line endings are stripped, even when the CR and LF arrive apart', async () => {
    await writeFile(file, 'a\r\nb\r');
    const t = tailer();
    const got = await follow(t);
    await appendFile(file, '\nc\r\n');
    await t.poke();
    expect(texts(t.backlog())).toEqual(['a', 'b', 'c']);
    expect(texts(got[0])).toEqual(['b', 'c']);
  });

  test('times written on lines are extracted into ts', async () => {
    await writeFile(
      file,
      [
        '[12:34:56] agent started',
        'WO-AUTH-SYSTEM-001 | shop | Add login | 2026-01-02T03:04:05Z',
        '2026-01-02 03:04:05,123 INFO ready',
        'no time here 12:00',
        '',
      ].join('\n'),
    );
    const t = tailer();
    await follow(t);
    expect(t.backlog().lines.map((l) => l.ts)).toEqual(['12:34:56', '2026-01-02T03:04:05Z', '2026-01-02 03:04:05,123', undefined]);
  });

  test('the backlog for late subscribers holds the last lines, marked truncated when older ones were dropped', async () => {
    await writeFile(file, '1\n2\n3\n4\n5\n');
    const t = tailer({ keepLines: 3 });
    const first = await follow(t);
    expect(t.backlog()).toMatchObject({ truncated: true, lines: [{ n: 3 }, { n: 4 }, { n: 5 }] });
    // A late subscriber starts from the backlog (the engine sends it) and then gets new lines once.
    const late: LogMessage[] = [];
    t.subscribe((msg) => late.push(msg));
    expect(late).toEqual([]);
    await appendFile(file, '6\n');
    await t.poke();
    expect(late.map(texts)).toEqual([['6']]);
    expect(texts(first[0])).toEqual(['6']);
    expect(texts(t.backlog())).toEqual(['4', '5', '6']);
  });

  test('a big file is not read whole: the first read takes the tail, with the right line numbers', async () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => `line ${i + 1} ${'.'.repeat(20)}`);
    await writeFile(file, `${lines.join('\n')}\n`);
    const t = tailer({ tailBytes: 16 * 1024 });
    await follow(t);
    const backlog = t.backlog();
    expect(backlog.truncated).toBe(true);
    expect(backlog.lines.length).toBeGreaterThan(100);
    expect(backlog.lines.length).toBeLessThan(1000);
    expect(backlog.lines.at(-1)).toMatchObject({ n: 50_000, text: lines[49_999] });
    for (const line of backlog.lines) expect(line.text.startsWith(`line ${line.n} `)).toBe(true);
  });

  test('a huge burst between two reads is skipped to its tail and marked truncated', async () => {
    await writeFile(file, 'start\n');
    const t = tailer({ tailBytes: 4096, maxCatchUpBytes: 8192 });
    const got = await follow(t);
    const burst = Array.from({ length: 5000 }, (_, i) => `burst ${i + 2}`);
    await appendFile(file, `${burst.join('\n')}\n`);
    await t.poke();
    expect(got).toHaveLength(1);
    expect(got[0]?.truncated).toBe(true);
    expect(got[0]?.lines.at(-1)).toEqual({ n: 5001, text: 'burst 5001' });
    for (const line of got[0]?.lines ?? []) expect(line.text).toBe(`burst ${line.n}`);
  });

  test('the fallback poll notices appends the watcher missed', async () => {
    await writeFile(file, 'a\n');
    const t = tailer({ pollMs: 20 });
    const got = await follow(t);
    await appendFile(file, 'b\n');
    await vi.waitFor(() => expect(got).toHaveLength(1), { timeout: 2000, interval: 10 });
    expect(texts(got[0])).toEqual(['b']);
  });

  test('stops reading when the last subscriber leaves, and starts fresh for the next', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    await writeFile(file, 'a\n');
    const t = tailer({ pollMs: 1000 });
    const got: LogMessage[] = [];
    const one = t.subscribe((msg) => got.push(msg));
    const two = t.subscribe((msg) => got.push(msg));
    await t.loaded();
    expect(vi.getTimerCount()).toBe(1);
    one.close();
    expect(t.subscriberCount).toBe(1);
    expect(vi.getTimerCount()).toBe(1);
    two.close();
    two.close();
    expect(t.subscriberCount).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    await appendFile(file, 'b\n');
    await t.poke();
    expect(got).toEqual([]);
    expect(t.backlog().lines).toEqual([]);
    const again = await follow(t);
    expect(texts(t.backlog())).toEqual(['a', 'b']);
    expect(again).toEqual([]);
  });

  test('a closed tailer refuses new subscribers', () => {
    const t = tailer();
    t.close();
    expect(() => t.subscribe(() => undefined)).toThrow(/closed/);
  });

  test('a folder where the log should be is reported, not thrown', async () => {
    const errors: Error[] = [];
    const t = tailer({ rel: '', onError: (e) => errors.push(e) });
    await follow(t);
    expect(errors).toHaveLength(1);
    expect(t.lastError).toMatch(/not a regular file/);
  });
});

describe('extractTimestamp', () => {
  test('bracketed clock times and ISO times, as written', () => {
    expect(extractTimestamp('[09:05:00] go')).toBe('09:05:00');
    expect(extractTimestamp('[09:05:00.250] go')).toBe('09:05:00.250');
    expect(extractTimestamp('at 2025-10-18T14:22:31.123+02:00 done')).toBe('2025-10-18T14:22:31.123+02:00');
    expect(extractTimestamp('2025-10-18T14:22 started')).toBe('2025-10-18T14:22');
    expect(extractTimestamp('version 2025-10-18 only a date')).toBeUndefined();
    expect(extractTimestamp('plain text')).toBeUndefined();
  });
});

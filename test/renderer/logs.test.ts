import { describe, expect, test } from 'vitest';
import { applyLog, dropLog, LOG_LINE_LIMIT } from '../../renderer/store/logs';

const msg = (ns: number[], extra: { reset?: boolean; truncated?: boolean } = {}) => ({
  projectId: 'p',
  path: 'log.txt',
  lines: ns.map((n) => ({ n, text: `line ${n}` })),
  ...extra,
});

describe('log buffers', () => {
  test('appends new lines and skips lines already held', () => {
    let logs = applyLog({}, msg([1, 2, 3]), 1);
    logs = applyLog(logs, msg([2, 3, 4, 5]), 2);
    expect(logs['p/log.txt']!.lines.map((l) => l.n)).toEqual([1, 2, 3, 4, 5]);
    expect(logs['p/log.txt']!.lastLineAt).toBe(2);
  });

  test('a repeat that brings nothing new keeps the same table', () => {
    const logs = applyLog({}, msg([1, 2]));
    expect(applyLog(logs, msg([1, 2]))).toBe(logs);
  });

  test('a reset (file truncated or replaced) starts over', () => {
    let logs = applyLog({}, msg([1, 2, 3]));
    logs = applyLog(logs, msg([1], { reset: true }));
    expect(logs['p/log.txt']!.lines.map((l) => l.n)).toEqual([1]);
    expect(logs['p/log.txt']!.resets).toBe(1);
  });

  test('keeps at most the line limit and says older lines were dropped', () => {
    const many = Array.from({ length: LOG_LINE_LIMIT + 10 }, (_, i) => i + 1);
    const logs = applyLog({}, msg(many));
    expect(logs['p/log.txt']!.lines).toHaveLength(LOG_LINE_LIMIT);
    expect(logs['p/log.txt']!.truncated).toBe(true);
    expect(dropLog(logs, 'p', 'log.txt')).toEqual({});
  });
});
